// epoll for Swift: Glibc's module does not export <sys/epoll.h>.
#ifndef SWITCHBOARD_CEPOLL_H
#define SWITCHBOARD_CEPOLL_H

#include <stdint.h>

/// Interest bits (values of EPOLLIN, EPOLLOUT, ... as plain integers).
extern const uint32_t cepoll_in, cepoll_out, cepoll_rdhup, cepoll_hup, cepoll_err, cepoll_et;

/// A new close-on-exec epoll instance, or -1 with errno.
int cepoll_create(void);
/// Adds (add != 0) or modifies the interest of `fd`, tagging events with `fd`.
int cepoll_set(int epfd, int fd, uint32_t events, int add);
/// Removes `fd` from the instance.
int cepoll_remove(int epfd, int fd);
/// Waits up to `timeout_ms` for up to `capacity` events; writes their fds and event bits.
int cepoll_wait(int epfd, int *fds, uint32_t *events, int capacity, int timeout_ms);

#endif
