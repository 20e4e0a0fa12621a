#include "model.h"

#include <stdlib.h>
#include <string.h>

static void
site_info_free(struct site_info *s)
{
	free(s->title);
	free(s->name);
	free(s->base_url);
	free(s->description);
	free(s->tz_note);
	for (size_t i = 0; i < s->nfooter; i++) {
		free(s->footer[i].text);
		free(s->footer[i].url);
	}
	free(s->footer);
}

static void
system_view_free(struct system_view *s)
{
	free(s->id);
	free(s->name);
	free(s->location);
	free(s->role);
	for (size_t i = 0; i < s->nservices; i++) {
		free(s->services[i].name);
		free(s->services[i].output);
	}
	free(s->services);
	free(s->daily_uptime);
}

void
notice_view_free(struct notice_view *n)
{
	free(n->system_id);
	free(n->affected);
	free(n->title);
	free(n->body);
	for (size_t i = 0; i < n->ntags; i++)
		free(n->tags[i]);
	free(n->tags);
	memset(n, 0, sizeof *n);
}

void
site_view_free(struct site_view *v)
{
	site_info_free(&v->site);
	for (size_t i = 0; i < v->nsystems; i++)
		system_view_free(&v->systems[i]);
	free(v->systems);
	for (size_t i = 0; i < v->nnotices; i++)
		notice_view_free(&v->notices[i]);
	free(v->notices);
	v->systems = NULL;
	v->notices = NULL;
	v->nsystems = v->nnotices = 0;
}

const char *
sys_status_name(enum sys_status s)
{
	static const char *const n[] = {"operational", "degraded", "partial", "major",
	                                "maintenance", "internal", "unknown"};
	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "unknown";
}

const char *
ping_status_name(enum ping_status p)
{
	static const char *const n[] = {"unknown", "up", "down"};
	return (unsigned)p < sizeof n / sizeof n[0] ? n[p] : "unknown";
}

const char *
incident_state_name(enum incident_state s)
{
	static const char *const n[] = {"none",       "investigating", "identified",
	                                "monitoring", "resolved",      "postmortem"};
	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "none";
}

const char *
maint_state_name(enum maint_state s)
{
	static const char *const n[] = {"none", "scheduled", "in_progress", "completed"};
	return (unsigned)s < sizeof n / sizeof n[0] ? n[s] : "none";
}

const char *
notice_kind_name(enum notice_kind k)
{
	static const char *const n[] = {"maintenance-scheduled",
	                                "maintenance-underway",
	                                "maintenance-complete",
	                                "outage",
	                                "disruption",
	                                "recovery",
	                                "operator"};
	return (unsigned)k < sizeof n / sizeof n[0] ? n[k] : "operator";
}

static const char *const impact_names[] = {"none", "degraded", "partial", "major"};

const char *
impact_name(enum impact i)
{
	return (unsigned)i < sizeof impact_names / sizeof impact_names[0] ? impact_names[i]
	                                                                  : "none";
}

int
impact_parse(const char *s)
{
	for (size_t i = 0; i < sizeof impact_names / sizeof impact_names[0]; i++)
		if (strcmp(s, impact_names[i]) == 0)
			return (int)i;
	return -1;
}
