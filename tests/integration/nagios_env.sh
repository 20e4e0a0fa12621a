# A private Nagios 4 for the ingest tests and bench. Source after lib.sh:
#   nagios_env_write HOSTS_CFG   writes $T/nagios/nagios.cfg around the object
#                                definitions given (a file), with its log,
#                                status.dat, objects.cache and command pipe
#                                all under $T/nagios, one-second intervals
#   nagios_start / nagios_stop   start the daemon, stop it by PID and wait
#                                until the PID is gone
#   nagios_cmd LINE              writes "[now] LINE" to the command pipe
#   wait_log REGEX [SECONDS]     waits until nagios.log has a matching line
# $NAGIOS_PID is the running daemon's PID.
. "$(dirname "${BASH_SOURCE[0]}")/daemon_env.sh"
NG=$T/nagios
NAGIOS_PID=

nagios_env_write() {
	mkdir -p "$NG/archives" "$NG/checkresults"
	cat >"$NG/nagios.cfg" <<EOF
log_file=$NG/nagios.log
cfg_file=$NG/commands.cfg
cfg_file=$1
object_cache_file=$NG/objects.cache
precached_object_file=$NG/objects.precache
resource_file=$NG/resource.cfg
status_file=$NG/status.dat
status_update_interval=1
nagios_user=$(id -un)
nagios_group=$(id -gn)
check_external_commands=1
command_file=$NG/nagios.cmd
lock_file=$NG/nagios.lock
query_socket=$NG/nagios.qh
temp_file=$NG/nagios.tmp
temp_path=$NG
check_result_path=$NG/checkresults
state_retention_file=$NG/retention.dat
retain_state_information=1
retention_update_interval=60
log_rotation_method=n
log_archive_path=$NG/archives
use_syslog=0
log_notifications=0
log_service_retries=1
log_host_retries=1
log_event_handlers=0
log_initial_states=1
log_current_states=1
log_external_commands=1
log_passive_checks=1
interval_length=1
service_inter_check_delay_method=n
host_inter_check_delay_method=n
max_service_check_spread=1
max_host_check_spread=1
check_result_reaper_frequency=1
enable_notifications=0
enable_flap_detection=0
execute_service_checks=1
execute_host_checks=1
date_format=iso8601
illegal_macro_output_chars=\`~\$&|'"<>
EOF
	printf '$USER1$=%s\n' "$B/plugins" >"$NG/resource.cfg"
	cat >"$NG/commands.cfg" <<'EOF'
define command {
	command_name	glance_ping
	command_line	$USER1$/check_ping -H $HOSTADDRESS$ -w 100,20% -c 200,60% -t 5
}
define command {
	command_name	glance_smtp
	command_line	$USER1$/check_smtp -H $HOSTADDRESS$ -p $ARG1$ -t 5
}
define timeperiod {
	timeperiod_name	always
	alias	Always
	sunday	00:00-24:00
	monday	00:00-24:00
	tuesday	00:00-24:00
	wednesday	00:00-24:00
	thursday	00:00-24:00
	friday	00:00-24:00
	saturday	00:00-24:00
}
define contact {
	contact_name	nobody
	host_notifications_enabled	0
	service_notifications_enabled	0
	host_notification_period	always
	service_notification_period	always
	host_notification_options	n
	service_notification_options	n
	host_notification_commands	glance_ping
	service_notification_commands	glance_ping
}
EOF
}

nagios_start() {
	: >"$NG/daemon.out"
	/usr/sbin/nagios4 "$NG/nagios.cfg" >>"$NG/daemon.out" 2>&1 &
	NAGIOS_PID=$!
	track "$NAGIOS_PID"
}

nagios_stop() {
	[ -n "$NAGIOS_PID" ] || return 0
	stop_pid "$NAGIOS_PID"
	NAGIOS_PID=
}

nagios_cmd() {
	printf '[%s] %s\n' "$(date +%s)" "$1" >"$NG/nagios.cmd"
}

wait_log() {
	wait_file "$NG/nagios.log" "$1" "${2:-30}"
}
