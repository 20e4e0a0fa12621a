#include "softhard.h"

bool
softhard_apply(struct svc_state *s, enum gl_state st, int max_attempts, time_t t)
{
	bool changed = false;

	if (max_attempts < 1)
		max_attempts = 1;
	if (st == GL_OK) {
		changed = !s->has_hard || s->hard_state != GL_OK;
		s->hard = true;
		s->attempt = 1;
		s->hard_state = GL_OK;
	} else if (s->has_hard && s->hard_state != GL_OK) {
		/* already a HARD problem: another problem state is a HARD change */
		changed = st != s->hard_state;
		s->hard = true;
		s->hard_state = st;
	} else {
		bool soft_problem = s->checked && s->state != GL_OK && !s->hard;
		s->attempt = soft_problem ? s->attempt + 1 : 1;
		s->hard = s->attempt >= max_attempts;
		if (s->hard) {
			s->attempt = max_attempts;
			s->hard_state = st;
			changed = true;
		}
	}
	if (changed) {
		s->has_hard = true;
		s->hard_since = t;
	}
	s->checked = true;
	s->state = st;
	s->last_check = t;
	return changed;
}

int
softhard_next_delay(const struct svc_state *s, int interval, int retry)
{
	return s->checked && !s->hard && s->state != GL_OK ? retry : interval;
}
