/* The rules of derive (derive.h), free of any I/O so they can be tested
 * with exact times. */
#include "derive.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int
derive_stale_after(const struct cfg_check *c)
{
	return 2 * c->interval + c->timeout;
}

enum level
derive_level_of_impact(enum impact i)
{
	return i == IMPACT_NONE ? LVL_GOOD : (enum level)(i + 1);
}

enum impact
derive_impact_of_level(enum level l)
{
	return l <= LVL_UNKNOWN ? IMPACT_NONE : (enum impact)(l - 1);
}

void
derive_uptime(const struct interval *iv, size_t n, time_t from, time_t now, double *uptime,
              double *maint)
{
	double counted = 0, down = 0, m = 0;

	for (size_t i = 0; i < n; i++) {
		time_t a = iv[i].start > from ? iv[i].start : from;
		time_t b = iv[i].end ? iv[i].end : now;
		if (b > now)
			b = now;
		if (b <= a)
			continue;
		double d = (double)(b - a);
		switch ((enum sys_status)iv[i].status) {
		case SYS_MAJOR: down += d; break;
		case SYS_PARTIAL: down += DERIVE_PARTIAL_WEIGHT * d; break;
		case SYS_OPERATIONAL:
		case SYS_DEGRADED: break;
		case SYS_MAINTENANCE: m += d; continue;
		case SYS_INTERNAL:
		case SYS_UNKNOWN: continue;
		}
		counted += d;
	}
	*uptime = counted > 0 ? 1.0 - down / counted : NAN;
	*maint = m;
}

time_t
derive_since(const struct interval *iv, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	i = n - 1;
	while (i >= 2 && iv[i - 1].status == SYS_UNKNOWN &&
	       iv[i - 2].status == iv[n - 1].status)
		i -= 2;
	return iv[i].start;
}

/* Whether a notice of incident resolved it before t. */
static bool
resolved_before(const struct notice_ref *r, size_t n, int64_t incident, time_t t)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].incident == incident && !r[i].retracted &&
		    r[i].state >= INC_RESOLVED && r[i].posted < t)
			return true;
	return false;
}

int64_t
derive_open_incident(const struct notice_ref *r, size_t n, const char *system, bool automatic,
                     time_t from, time_t to)
{
	const struct notice_ref *best = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct notice_ref *f = &r[i];
		if (f->id != f->incident || f->retracted || f->system == NULL ||
		    strcmp(f->system, system) != 0 || f->state == INC_NONE ||
		    (f->kind == NOTICE_OPERATOR) == automatic || f->posted > to)
			continue;
		if (resolved_before(r, n, f->incident, from))
			continue;
		if (best == NULL || f->posted > best->posted ||
		    (f->posted == best->posted && f->id > best->id))
			best = f;
	}
	return best != NULL ? best->incident : 0;
}

enum incident_state
derive_incident_state(const struct notice_ref *r, size_t n, int64_t incident, time_t t)
{
	enum incident_state top = INC_NONE;

	for (size_t i = 0; i < n; i++)
		if (r[i].incident == incident && !r[i].retracted && r[i].posted <= t &&
		    r[i].state < INC_RESOLVED && r[i].state > top)
			top = r[i].state;
	return top;
}

/* The value of the perfdata item labelled rta (quoted or not), in ms:
 * check_ping, check_icmp and glance's check_ping write "rta=0.22ms". */
double
derive_rta_ms(const char *pd)
{
	const char *p = pd;

	while (*p != '\0') {
		p += strspn(p, " ");
		bool quoted = *p == '\'';
		const char *label = p + quoted;
		const char *eq = quoted ? strstr(label, "'=") : strchr(label, '=');
		if (eq == NULL)
			break;
		size_t ll = (size_t)(eq - label);
		const char *val = eq + (quoted ? 2 : 1);
		if (ll == 3 && strncmp(label, "rta", 3) == 0) {
			char *end;
			double v = strtod(val, &end);
			if (end == val)
				return NAN;
			if (strncmp(end, "us", 2) == 0)
				return v / 1000.0;
			if (*end == 's')
				return v * 1000.0;
			return v; /* "ms", or no unit: check_ping and fping mean ms */
		}
		p = val + strcspn(val, " ");
	}
	return NAN;
}
