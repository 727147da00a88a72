// zlib (Debian zlib1g-dev), for the FlateDecode streams a PDF's cross-reference and object streams use.
// inflateInit is a macro Swift cannot call; this helper calls it.
#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

#include <zlib.h>

static inline int egov_inflate_init(z_stream *stream) { return inflateInit(stream); }

#endif
