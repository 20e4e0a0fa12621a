# glance: Nagios/Icinga-compatible plugins and a status-page collector.
#
#   make              build plugins, the glance collector and the unit tests
#   make check        install missing Debian packages, build normally and
#                     with ASan+UBSan, run every test through prove,
#                     PROVE_JOBS files at a time (default: the cores)
#   make demo         run the example ISP against loopback services
#   make bench        every plugin and the collector against its peer; it
#                     prints and never fails (README.md, "Benchmarks")
#   make install      PREFIX=/usr/local DESTDIR= (README.md, "Install")
#   make uninstall    the same variables
#   make man          manual pages from each --help, in $(BUILD)/man/
#   make SANITIZE=1   the same build with ASan+UBSan (in build-san/)
#
# Sources are found, not listed: plugins/NAME.c is a plugin, collector/*.c
# is the glance program (main.c holds main), common/*.c is the library,
# tests/unit/NAME.c a TAP program. Objects live under $(BUILD).

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
# Where `make install` puts things (README.md, "Install"); the units name
# /etc/glance/glance.conf and /var/lib/glance whatever the prefix.
BINDIR ?= $(PREFIX)/bin
PLUGINDIR ?= $(PREFIX)/lib/glance/plugins
# The plugins' private modules (snmp.so, dane.so, dnssec.so), one level
# above PLUGINDIR.
MODULEDIR ?= $(PREFIX)/lib/glance
DATADIR ?= $(PREFIX)/share/glance
MANDIR ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
ifeq ($(SANITIZE),1)
BUILD ?= build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer
OPT ?= -O1 -g
else
BUILD ?= build
SAN_FLAGS :=
OPT ?= -O2 -g
endif

CC ?= cc
# Plugins link only the protocol libraries (and yajl, for
# check_mailqueue's postqueue -j: an event parser, no tree per line); the store, HTTP and Markdown libraries
# are the collector's alone (and its unit tests').
# --as-needed then drops what a plugin's objects never call, so
# check_ping needs libc only. net-snmp is no plugin's: it lives in the
# SNMP module below.
PLUGIN_PKGS := openssl ldns yajl
COLLECTOR_PKGS := sqlite3 jansson libcurl libcmark
PKGS := $(PLUGIN_PKGS) $(COLLECTOR_PKGS)
# Evaluated lazily so `make check` can install the -dev packages first.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PLUGIN_LIBS = $(shell pkg-config --libs $(PLUGIN_PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wvla
CPPFLAGS += -D_GNU_SOURCE -DGLANCE_VERSION='"$(VERSION)"' -Icommon -Icollector -MMD -MP
CFLAGS ?= $(OPT)
ALL_CFLAGS = -std=c11 $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) -Wl,--as-needed $(LDFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lm $(LDLIBS)
LDLIBS_PLUGIN = $(PLUGIN_LIBS) -lm $(LDLIBS)

# The modules' own sources, not the archive's.
MODULE_SRC := common/snmpmod.c common/danemod.c common/dnssecmod.c common/dnsval.c
COMMON_SRC := $(filter-out $(MODULE_SRC),$(wildcard common/*.c))
PLUGIN_SRC := $(wildcard plugins/*.c)
COLLECTOR_SRC := $(wildcard collector/*.c)
UNIT_SRC := $(wildcard tests/unit/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/*.c)

COMMON_OBJ := $(COMMON_SRC:%.c=$(BUILD)/%.o)
COLLECTOR_OBJ := $(filter-out $(BUILD)/collector/main.o,$(COLLECTOR_SRC:%.c=$(BUILD)/%.o))
PLUGINS := $(PLUGIN_SRC:plugins/%.c=$(BUILD)/plugins/%)
GLANCE := $(if $(wildcard collector/main.c),$(BUILD)/glance)
UNITS := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
# Each fuzz target also links with a plain main() that replays files, so
# `make check` runs the corpora without clang (tests/fuzz/run: libFuzzer).
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)
# Names the ITL's stock CheckCommands run that a glance plugin answers to:
# check_dig is check_dns (it takes check_dig's -l/-T spelling), and
# check_ssl_cert is check_tls_cert (-H -p -w -c --sni mean the same).
ALIAS_PAIRS := check_dig=check_dns check_ssl_cert=check_tls_cert
alias_name = $(word 1,$(subst =, ,$(1)))
alias_target = $(word 2,$(subst =, ,$(1)))
PLUGIN_ALIASES := $(foreach p,$(ALIAS_PAIRS),$(BUILD)/plugins/$(call alias_name,$(p)))
LIBGLANCE := $(BUILD)/libglance.a
# The SNMP module and its objects (built with -fPIC; see its rule).
SNMP_MODULE := $(BUILD)/snmp.so
SNMP_MODULE_OBJ := $(BUILD)/module/snmpmod.o $(BUILD)/module/strbuf.o
DANE_MODULE := $(BUILD)/dane.so
DNS_MODULE_OBJ := $(BUILD)/module/dns.o $(BUILD)/module/dnswire.o $(BUILD)/module/dnsval.o
DANE_MODULE_OBJ := $(BUILD)/module/danemod.o $(DNS_MODULE_OBJ)
DNSSEC_MODULE := $(BUILD)/dnssec.so
DNSSEC_MODULE_OBJ := $(BUILD)/module/dnssecmod.o $(DNS_MODULE_OBJ)
MANPAGES := $(PLUGINS:$(BUILD)/plugins/%=$(BUILD)/man/%.1) $(if $(GLANCE),$(BUILD)/man/glance.1)
UNITS_IN := $(wildcard dist/systemd/*.in)
LIBCOLLECTOR := $(BUILD)/libcollector.a

.PHONY: all programs check unit deps demo bench fuzz man install uninstall clean format
all: programs $(UNITS) $(FUZZ_REPLAY)

# What gets installed: the plugins (and their ITL names), their SNMP
# module and glance.
programs: $(PLUGINS) $(PLUGIN_ALIASES) $(SNMP_MODULE) $(DANE_MODULE) $(DNSSEC_MODULE) $(GLANCE)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(LIBGLANCE): $(COMMON_OBJ)
	@mkdir -p $(@D) && rm -f $@
	$(AR) rcs $@ $^

$(LIBCOLLECTOR): $(COLLECTOR_OBJ)
	@mkdir -p $(@D) && rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/plugins/%: $(BUILD)/plugins/%.o $(LIBGLANCE)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o %.a,$^) $(LDLIBS_PLUGIN)

# The SNMP module: net-snmp, and the shared libcrypto it needs, cost a
# plugin about 1.5 ms of start-up to bind, more than monitoring-plugins'
# whole --version run. So glance's net-snmp code (common/snmpmod.c, with
# its own hidden copy of strbuf) is a shared object the plugins dlopen()
# only when an SNMP mode runs (common/snmpmod.h), found one directory
# above the plugin's own (so $(BUILD)/snmp.so for $(BUILD)/plugins/, and
# MODULEDIR for PLUGINDIR), else in MODULEDIR as configured here.
$(BUILD)/common/module.o: CPPFLAGS += -DGLANCE_MODULEDIR='"$(MODULEDIR)"'

$(BUILD)/module/%.o: common/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

$(SNMP_MODULE): $(SNMP_MODULE_OBJ)
	$(CC) -shared $(ALL_LDFLAGS) -Wl,-z,defs -o $@ $^ -lnetsnmp

# The DNSSEC modules: ldns brings libcrypto, which costs a plugin more to
# bind than a whole lookup, and only DNSSEC validation needs it. So the
# validator (common/dnsval.c, with its own -fPIC copy of common/dns.c and
# common/dnswire.c) is in check_dns's dnssec.so, loaded for --dnssec
# (common/dnssecmod.h), and in check_tls_cert's dane.so with the TLSA
# lookup, loaded for --dane (common/danemod.h). They call a few of the
# plugin's own functions, which the plugin exports to them
# (common/module.syms); so no -z defs here.
LDNS_LIBS = $(shell pkg-config --libs ldns 2>/dev/null || echo -lldns)
$(DANE_MODULE): $(DANE_MODULE_OBJ)
	$(CC) -shared $(ALL_LDFLAGS) -o $@ $^ $(LDNS_LIBS)
$(DNSSEC_MODULE): $(DNSSEC_MODULE_OBJ)
	$(CC) -shared $(ALL_LDFLAGS) -o $@ $^ $(LDNS_LIBS)
$(BUILD)/plugins/check_tls_cert $(BUILD)/plugins/check_dns: common/module.syms
$(BUILD)/plugins/check_tls_cert $(BUILD)/plugins/check_dns: \
	ALL_LDFLAGS += -Wl,--dynamic-list=common/module.syms

# Start-up: binding the shared libssl and libcrypto costs a plugin about
# 1 ms before main() (Debian builds them with BIND_NOW), most of
# monitoring-plugins' whole --version. Linked from their static archives
# (only what the plugin calls), check_smtp and check_tls_cert start in
# about half the time (make bench, "start-up, static build"). check_dns
# and the SNMP plugins need no such thing: they reach ldns and libcrypto
# only through their modules. Opt-in (make STATIC_PLUGINS="check_smtp
# check_tls_cert"): by default every plugin uses the shared libraries,
# so a security update of OpenSSL reaches the plugins without a rebuild,
# as distribution packages expect.
STATIC_PLUGINS ?=
STATIC_LIBS := -Wl,-Bstatic -lldns -lssl -lcrypto -Wl,-Bdynamic
$(STATIC_PLUGINS:%=$(BUILD)/plugins/%): LDLIBS_PLUGIN = $(STATIC_LIBS) -lm $(LDLIBS)

define alias_rule
$(BUILD)/plugins/$(call alias_name,$(1)): $(BUILD)/plugins/$(call alias_target,$(1))
	ln -sf $(call alias_target,$(1)) $$@
endef
$(foreach p,$(ALIAS_PAIRS),$(eval $(call alias_rule,$(p))))

$(BUILD)/glance: $(BUILD)/collector/main.o $(LIBCOLLECTOR) $(LIBGLANCE)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/unit/%: $(BUILD)/tests/unit/%.o $(LIBCOLLECTOR) $(LIBGLANCE)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/driver/replay.o \
		$(LIBCOLLECTOR) $(LIBGLANCE)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

deps:
	@tests/install-deps

# The whole suite: unit tests and integration tests run against the
# sanitizer build, so a memory error anywhere fails the run. One prove
# call, so its summary counts every test; its files run PROVE_JOBS at a
# time (default: one per core), since each test owns its ports, temp
# directory and namespaces, and most of a test's time is spent waiting
# on a server or a deadline.
PROVE_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
check: deps
	$(MAKE) all
	$(MAKE) SANITIZE=1 all
	GLANCE_BUILD=$(CURDIR)/build-san GLANCE_SRC=$(CURDIR) \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	prove -j$(PROVE_JOBS) $(PROVE_FLAGS) \
		$(sort $(UNIT_SRC:tests/unit/%.c=build-san/tests/unit/%)) \
		$(sort $(wildcard tests/integration/*.t))

unit: all
	prove -j$(PROVE_JOBS) $(UNITS)

demo: deps
	$(MAKE) all
	@if [ -x tests/demo/run ]; then tests/demo/run $(BUILD); \
	else echo "make demo: the demo is not written yet (tests/demo/run is missing)"; fi

# The bench's timing loop (tests/bench/runner.c); built only for make bench.
BENCH_RUNNER := $(BUILD)/bench/runner
$(BENCH_RUNNER): tests/bench/runner.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<

bench: deps
	$(MAKE) all $(BENCH_RUNNER)
	@if [ -x tests/bench/run ]; then tests/bench/run $(BUILD); \
	else echo "make bench: no benchmarks yet (tests/bench/run is missing)"; fi

fuzz: deps
	@if [ -x tests/fuzz/run ]; then tests/fuzz/run; \
	else echo "make fuzz: no fuzz targets yet (tests/fuzz/run is missing)"; fi

# Manual pages from each program's own --help (help2man).
man: $(MANPAGES)

$(BUILD)/man/%.1: $(BUILD)/plugins/% dist/help2man.sh
	@mkdir -p $(@D)
	dist/help2man.sh $< $@

$(BUILD)/man/glance.1: $(BUILD)/glance dist/help2man.sh
	@mkdir -p $(@D)
	dist/help2man.sh $< $@

# nagios-conf/ is installed with its plugin directory set to PLUGINDIR.
NAGIOS_FILES := $(filter-out %/resource.cfg,$(wildcard nagios-conf/nagios/*.cfg))
ICINGA_FILES := $(filter-out %/glance-constants.conf,$(wildcard nagios-conf/icinga2/*.conf))
SHARE_CONF := $(DESTDIR)$(DATADIR)/nagios-conf

install: programs man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(MODULEDIR) \
		$(DESTDIR)$(MANDIR)/man1 \
		$(SHARE_CONF)/nagios $(SHARE_CONF)/icinga2 $(DESTDIR)$(DATADIR)/examples \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	$(if $(PLUGINS),install -m 755 $(PLUGINS) $(DESTDIR)$(PLUGINDIR)/)
	install -m 644 $(SNMP_MODULE) $(DANE_MODULE) $(DNSSEC_MODULE) $(DESTDIR)$(MODULEDIR)/
	$(foreach p,$(ALIAS_PAIRS),ln -sf $(call alias_target,$(p)) \
		$(DESTDIR)$(PLUGINDIR)/$(call alias_name,$(p));)
	$(if $(GLANCE),install -m 755 $(GLANCE) $(DESTDIR)$(BINDIR)/)
	install -m 644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 nagios-conf/README.md $(SHARE_CONF)/
	install -m 644 $(NAGIOS_FILES) $(SHARE_CONF)/nagios/
	sed 's|^\$$USER5\$$=.*|$$USER5$$=$(PLUGINDIR)|' nagios-conf/nagios/resource.cfg \
		>$(SHARE_CONF)/nagios/resource.cfg
	install -m 644 $(ICINGA_FILES) $(SHARE_CONF)/icinga2/
	sed 's|^const GlancePluginDir = .*|const GlancePluginDir = "$(PLUGINDIR)"|' \
		nagios-conf/icinga2/glance-constants.conf >$(SHARE_CONF)/icinga2/glance-constants.conf
	install -m 644 examples/isp.conf $(DESTDIR)$(DATADIR)/examples/
	$(foreach u,$(UNITS_IN),sed 's|@BINDIR@|$(BINDIR)|g' $(u) \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/$(notdir $(u:.in=));)
	install -m 644 dist/systemd/glance-once.timer $(DESTDIR)$(SYSTEMDUNITDIR)/
	install -m 644 dist/systemd/glance.sysusers $(DESTDIR)$(SYSUSERSDIR)/glance.conf

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PLUGINDIR)/,$(notdir $(PLUGINS) $(PLUGIN_ALIASES))) \
		$(DESTDIR)$(MODULEDIR)/snmp.so $(DESTDIR)$(MODULEDIR)/dane.so \
		$(DESTDIR)$(MODULEDIR)/dnssec.so \
		$(DESTDIR)$(BINDIR)/glance $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MANPAGES))) \
		$(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,glance.service glance-once.service glance-once.timer) \
		$(DESTDIR)$(SYSUSERSDIR)/glance.conf
	rm -rf $(DESTDIR)$(DATADIR)
	-rmdir $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(MODULEDIR) $(DESTDIR)$(PREFIX)/lib/glance 2>/dev/null

clean:
	rm -rf build build-san

format:
	clang-format -i $(COMMON_SRC) $(wildcard common/*.h) $(PLUGIN_SRC) \
		$(COLLECTOR_SRC) $(wildcard collector/*.h) $(UNIT_SRC) \
		$(FUZZ_SRC) tests/fuzz/fuzz.h tests/fuzz/driver/replay.c

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
