/* embedded.h - data files compiled into termdrift, so that the binary works
 * from any folder.  Generated from data/ by scripts/embed.sh at build time. */
#ifndef TD_EMBEDDED_H
#define TD_EMBEDDED_H

#include <stddef.h>

extern const char embedded_stopwords_en[];      /* data/stopwords/en.txt */
extern const size_t embedded_stopwords_en_len;
extern const char embedded_boilerplate_en[];    /* data/boilerplate/en.txt */
extern const size_t embedded_boilerplate_en_len;

#endif
