/* version.h - termdrift's version. */
#ifndef TD_VERSION_H
#define TD_VERSION_H

#define TERMDRIFT_VERSION "0.1.0"

#endif
