/* doc.c - one input document (see doc.h). */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

void doc_clear(struct doc *doc)
{
	free(doc->id);
	free(doc->file);
	free(doc->source);
	free(doc->title);
	if (doc->text_owner)
		doc->text_release(doc->text_owner);
	else
		free(doc->text);
	free(doc->problem);
	memset(doc, 0, sizeof *doc);
}

const char *doc_status_name(enum doc_status status)
{
	switch (status) {
	case DOC_OK: return "ok";
	case DOC_BINARY: return "binary";
	case DOC_MALFORMED: return "malformed";
	case DOC_EMPTY: return "empty";
	case DOC_DUPLICATE: return "duplicate";
	case DOC_NO_DATE: return "no_date";
	case DOC_DATE_SUSPECT: return "date_suspect";
	case DOC_INVALID_UTF8_REPAIRED: return "invalid_utf8_repaired";
	}
	return "unknown";
}
