#include "CEPoll.h"

#include <sys/epoll.h>

const uint32_t cepoll_in = EPOLLIN, cepoll_out = EPOLLOUT, cepoll_rdhup = EPOLLRDHUP, cepoll_hup = EPOLLHUP,
               cepoll_err = EPOLLERR, cepoll_et = EPOLLET;

int cepoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int cepoll_set(int epfd, int fd, uint32_t events, int add) {
  struct epoll_event event = {.events = events, .data = {.fd = fd}};
  return epoll_ctl(epfd, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
}

int cepoll_remove(int epfd, int fd) { return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, 0); }

int cepoll_wait(int epfd, int *fds, uint32_t *events, int capacity, int timeout_ms) {
  struct epoll_event ready[256];
  if (capacity > 256) capacity = 256;
  int n = epoll_wait(epfd, ready, capacity, timeout_ms);
  for (int i = 0; i < n; i++) {
    fds[i] = ready[i].data.fd;
    events[i] = ready[i].events;
  }
  return n;
}
