/* The config's command lines, split without a shell (config.h documents
 * the rules): part of the config stage, which hands the scheduler argv
 * arrays ready for execve. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "strbuf.h"

struct split {
	char **argv;
	size_t argc;
	struct strbuf word;
	bool in_word;
};

static void
split_push(struct split *s)
{
	s->argv = xrealloc(s->argv, (s->argc + 2) * sizeof *s->argv);
	s->argv[s->argc++] = sb_detach(&s->word);
	if (s->argv[s->argc - 1] == NULL)
		s->argv[s->argc - 1] = xstrdup("");
	s->argv[s->argc] = NULL;
	s->in_word = false;
}

/* Consumes a quoted part starting at line[i] (the quote); returns the index
 * after the closing quote, or 0 when it is unterminated. */
static size_t
split_quoted(struct split *s, const char *line, size_t i)
{
	char q = line[i++];
	for (; line[i] != '\0'; i++) {
		if (line[i] == q)
			return i + 1;
		if (q == '"' && line[i] == '\\' && (line[i + 1] == '"' || line[i + 1] == '\\'))
			i++;
		sb_appendc(&s->word, line[i]);
	}
	return 0;
}

char **
cmdline_split(const char *line, int *col, char *err, size_t errlen)
{
	struct split s = {NULL, 0, STRBUF_INIT, false};
	size_t i = 0;

	*col = 0;
	while (line[i] != '\0') {
		char c = line[i];
		if (c == ' ' || c == '\t') {
			if (s.in_word)
				split_push(&s);
			i++;
		} else if (c == '\'' || c == '"') {
			size_t next = split_quoted(&s, line, i);
			if (next == 0) {
				*col = (int)i + 1;
				snprintf(err, errlen, "unterminated %c quote", c);
				goto fail;
			}
			s.in_word = true;
			i = next;
		} else if (c == '\\' && line[i + 1] != '\0') {
			sb_appendc(&s.word, line[i + 1]);
			s.in_word = true;
			i += 2;
		} else {
			sb_appendc(&s.word, c);
			s.in_word = true;
			i++;
		}
	}
	if (s.in_word)
		split_push(&s);
	if (s.argc == 0) {
		*col = 1;
		snprintf(err, errlen, "empty command");
		goto fail;
	}
	return s.argv;
fail:
	sb_free(&s.word);
	cmdline_free(s.argv);
	return NULL;
}

void
cmdline_free(char **argv)
{
	if (argv == NULL)
		return;
	for (size_t i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}
