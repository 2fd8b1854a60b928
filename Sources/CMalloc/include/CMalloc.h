// glibc's heap controls for Swift: Glibc's module does not export <malloc.h>.
#ifndef SWITCHBOARD_CMALLOC_H
#define SWITCHBOARD_CMALLOC_H

/// Returns the heap's free pages to the system (malloc_trim(0)); 1 when some were released.
int cmalloc_trim(void);
/// Caps the number of malloc arenas (mallopt(M_ARENA_MAX, count)) unless MALLOC_ARENA_MAX is set in the
/// environment; 1 when applied.
int cmalloc_limit_arenas(int count);

#endif
