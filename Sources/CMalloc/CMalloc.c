#include "CMalloc.h"

#include <malloc.h>
#include <stdlib.h>

int cmalloc_trim(void) { return malloc_trim(0); }

int cmalloc_limit_arenas(int count) {
  if (getenv("MALLOC_ARENA_MAX") != NULL) return 0;
  return mallopt(M_ARENA_MAX, count);
}
