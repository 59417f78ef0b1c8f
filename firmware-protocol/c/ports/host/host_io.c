#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include "host_io.h"

static void set_nonblocking(int fd) {
  const int flags = fcntl(fd, F_GETFL, 0);
  if (flags >= 0) (void)fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static bool open_pty(host_link *link) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    perror("posix_openpt");
    return false;
  }
  const char *name = ptsname(master);
  if (name == NULL) {
    perror("ptsname");
    return false;
  }
  snprintf(link->path, sizeof link->path, "%s", name);
  /* Hold the slave open ourselves, in raw mode: bytes pass unchanged (no echo, no line editing) even
   * before a client sets its own mode, and the master does not see a hang-up when a client closes. */
  link->slave_fd = open(name, O_RDWR | O_NOCTTY);
  if (link->slave_fd < 0) {
    perror("open pty slave");
    return false;
  }
  struct termios tio;
  if (tcgetattr(link->slave_fd, &tio) == 0) {
    cfmakeraw(&tio);
    (void)tcsetattr(link->slave_fd, TCSANOW, &tio);
  }
  set_nonblocking(master);
  link->in_fd = master;
  link->out_fd = master;
  return true;
}

static bool open_tcp(host_link *link, const char *bind_address, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    perror("socket");
    return false;
  }
  const int one = 1;
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, bind_address, &address.sin_addr) != 1) {
    fprintf(stderr, "not an IPv4 address: %s\n", bind_address);
    return false;
  }
  if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 1) != 0) {
    perror("bind/listen");
    return false;
  }
  socklen_t length = sizeof address;
  (void)getsockname(fd, (struct sockaddr *)&address, &length);
  snprintf(link->path, sizeof link->path, "%s:%d", bind_address, ntohs(address.sin_port));
  set_nonblocking(fd);
  link->listen_fd = fd;
  return true;
}

bool host_link_open(host_link *link, host_link_kind kind, const char *bind_address, int port) {
  memset(link, 0, sizeof *link);
  link->kind = kind;
  link->listen_fd = -1;
  link->in_fd = -1;
  link->out_fd = -1;
  link->slave_fd = -1;
  switch (kind) {
    case HOST_LINK_PTY: return open_pty(link);
    case HOST_LINK_TCP: return open_tcp(link, bind_address, port);
    case HOST_LINK_STDIO:
      set_nonblocking(STDIN_FILENO);
      link->in_fd = STDIN_FILENO;
      link->out_fd = STDOUT_FILENO;
      snprintf(link->path, sizeof link->path, "stdio");
      return true;
  }
  return false;
}

void host_link_accept(host_link *link) {
  if (link->kind != HOST_LINK_TCP || link->in_fd >= 0) return;
  const int client = accept(link->listen_fd, NULL, NULL);
  if (client < 0) return;
  const int one = 1;
  /* Small frames (an ACK is ~15 bytes) must not wait for Nagle's algorithm. */
  (void)setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  set_nonblocking(client);
  link->in_fd = client;
  link->out_fd = client;
}

void host_link_drop_client(host_link *link) {
  if (link->kind != HOST_LINK_TCP || link->in_fd < 0) return;
  (void)close(link->in_fd);
  link->in_fd = -1;
  link->out_fd = -1;
}
