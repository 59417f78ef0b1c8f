/* The host port's byte streams: a pseudo-terminal, a TCP listener, or stdin/stdout. */
#ifndef HOST_IO_H
#define HOST_IO_H

#include <stdbool.h>
#include <stddef.h>

typedef enum host_link_kind { HOST_LINK_PTY, HOST_LINK_TCP, HOST_LINK_STDIO } host_link_kind;

typedef struct host_link {
  host_link_kind kind;
  int listen_fd;   /* TCP listener, else -1 */
  int in_fd;       /* bytes from the host: pty master, TCP client, stdin; -1 while no TCP client */
  int out_fd;      /* bytes to the host: the same fd, or stdout */
  int slave_fd;    /* pty: our own open slave, so the pty survives clients closing it */
  char path[256];  /* pty slave path, or "host:port" */
} host_link;

/* Open the link. `port` for TCP (0: any free port), `bind_address` for TCP. Returns false and prints
 * why on failure. */
bool host_link_open(host_link *link, host_link_kind kind, const char *bind_address, int port);
/* Accept a TCP client if one is waiting (replacing none while one is connected). */
void host_link_accept(host_link *link);
/* The TCP client went away. */
void host_link_drop_client(host_link *link);

#endif /* HOST_IO_H */
