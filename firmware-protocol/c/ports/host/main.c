/* stimbench-host-board: the C firmware core on the host clock, serving its byte stream on a
 * pseudo-terminal (default), a TCP port or stdin/stdout. See PORTING.md ("The host port").
 *
 * Control commands (one per line on stdin, except with --stdio where stdin is the link):
 *   electrode-off CH | electrode-on CH | freeze | reset | corrupt PPM | status | quit */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host_hal.h"
#include "host_io.h"

typedef struct options {
  host_link_kind link;
  const char *bind_address;
  int port;
  uint32_t load_ohm, seed;
  long electrode_off_channel, electrode_off_at_ms, freeze_at_ms, reset_at_ms;
  uint32_t corrupt_ppm;
  bool quiet;
} options;

static volatile sig_atomic_t stop_requested;
static void on_signal(int signal_number) { (void)signal_number; stop_requested = 1; }

static uint32_t monotonic_ms(void) {
  struct timespec ts;
  (void)clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static void usage(void) {
  fprintf(stderr,
          "usage: stimbench-host-board [--pty | --tcp PORT [--bind ADDR] | --stdio] [options]\n"
          "  link:   --pty (default; prints \"PTY <path>\"), --tcp PORT (0 = any; prints \"TCP <addr>:<port>\"),\n"
          "          --stdio (frames on stdin/stdout)\n"
          "  board:  --channels N (1-%u)  --max-amplitude-ua UA  --max-pulse-width-us US\n"
          "          --min-frequency-decihz F  --max-frequency-decihz F  --max-slew-ua-per-s S\n"
          "          --compliance-mv MV  --watchdog-ms MS  --telemetry-hz 0|1000  --serial TEXT\n"
          "  load:   --load-ohm R (default 1000)  --seed N (measurement noise, corruption)\n"
          "  faults: --electrode-off-at CH:MS  --freeze-at MS  --reset-at MS  --corrupt-ppm N\n"
          "          (MS counted from start); stdin commands: electrode-off CH, electrode-on CH,\n"
          "          freeze, reset, corrupt PPM, status, quit\n",
          (unsigned)SB_MAX_CHANNELS);
}

static bool parse_u32(const char *text, uint32_t max, uint32_t *out) {
  char *end = NULL;
  errno = 0;
  const unsigned long long v = strtoull(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v > max) return false;
  *out = (uint32_t)v;
  return true;
}

/* Parse argv into the board config and options; false (after a message) on anything invalid. */
static bool parse(int argc, char **argv, sb_board_config *config, options *o) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    uint32_t x = 0;
#define NEED_VALUE() do { if (v == NULL) { fprintf(stderr, "%s needs a value\n", a); return false; } i++; } while (0)
#define U32_OPTION(name, max, target) \
  if (strcmp(a, name) == 0) { NEED_VALUE(); if (!parse_u32(v, max, &x)) { fprintf(stderr, "%s: expected an integer up to %lu\n", a, (unsigned long)(max)); return false; } target; continue; }
    if (strcmp(a, "--pty") == 0) { o->link = HOST_LINK_PTY; continue; }
    if (strcmp(a, "--stdio") == 0) { o->link = HOST_LINK_STDIO; continue; }
    if (strcmp(a, "--quiet") == 0) { o->quiet = true; continue; }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { usage(); exit(0); }
    U32_OPTION("--tcp", 65535u, (o->link = HOST_LINK_TCP, o->port = (int)x))
    if (strcmp(a, "--bind") == 0) { NEED_VALUE(); o->bind_address = v; continue; }
    U32_OPTION("--channels", SB_MAX_CHANNELS, config->caps.channel_count = (uint8_t)x)
    U32_OPTION("--max-amplitude-ua", UINT32_MAX, config->caps.max_amplitude_ua = x)
    U32_OPTION("--max-pulse-width-us", 65535u, config->caps.max_pulse_width_us = (uint16_t)x)
    U32_OPTION("--min-frequency-decihz", 65535u, config->caps.min_frequency_decihz = (uint16_t)x)
    U32_OPTION("--max-frequency-decihz", 65535u, config->caps.max_frequency_decihz = (uint16_t)x)
    U32_OPTION("--max-slew-ua-per-s", UINT32_MAX, config->caps.max_slew_ua_per_s = x)
    U32_OPTION("--compliance-mv", UINT32_MAX, config->caps.compliance_mv = x)
    U32_OPTION("--watchdog-ms", 65535u, config->watchdog_ms = (uint16_t)x)
    U32_OPTION("--telemetry-hz", 1000u, config->telemetry_rate_hz = (uint16_t)x)
    U32_OPTION("--load-ohm", 100000000u, o->load_ohm = x)
    U32_OPTION("--seed", UINT32_MAX, o->seed = x)
    U32_OPTION("--freeze-at", 86400000u, o->freeze_at_ms = (long)x)
    U32_OPTION("--reset-at", 86400000u, o->reset_at_ms = (long)x)
    U32_OPTION("--corrupt-ppm", 1000000u, o->corrupt_ppm = x)
    if (strcmp(a, "--serial") == 0) {
      NEED_VALUE();
      if (strlen(v) > SB_MAX_SERIAL_BYTES) { fprintf(stderr, "--serial: at most %u characters\n", (unsigned)SB_MAX_SERIAL_BYTES); return false; }
      snprintf(config->serial_number, sizeof config->serial_number, "%s", v);
      continue;
    }
    if (strcmp(a, "--electrode-off-at") == 0) {
      NEED_VALUE();
      long channel = -1, at = -1;
      if (sscanf(v, "%ld:%ld", &channel, &at) != 2 || channel < 0 || at < 0) { fprintf(stderr, "--electrode-off-at: expected CH:MS\n"); return false; }
      o->electrode_off_channel = channel;
      o->electrode_off_at_ms = at;
      continue;
    }
    fprintf(stderr, "unknown option %s\n", a);
    usage();
    return false;
  }
  if (o->electrode_off_channel >= (long)config->caps.channel_count) {
    fprintf(stderr, "--electrode-off-at: channel %ld does not exist\n", o->electrode_off_channel);
    return false;
  }
  return true;
}

typedef struct runtime {
  sb_board board;
  host_hal hal;
  sb_hal hal_functions;
  host_link link;
  uint32_t start_ms, last_tick_ms;
  bool frozen;
  uint32_t frozen_at_ms;
  bool hardware_cut_done;
  bool quiet;
} runtime;

static void say(const runtime *r, const char *text) {
  if (!r->quiet) fprintf(stderr, "stimbench-host-board: %s\n", text);
}

/* The firmware hangs: it stops reading, answering, ticking. The output stage holds its last level until
 * the independent hardware watchdog cuts it watchdog_ms later and resets the MCU (§ 12.2). */
static void freeze(runtime *r, uint32_t now_ms) {
  if (r->frozen) return;
  r->frozen = true;
  r->hal.frozen = true;
  r->frozen_at_ms = now_ms;
  r->hardware_cut_done = false;
  say(r, "firmware frozen (the hardware watchdog will cut the output and reset)");
}

static void hardware_watchdog(runtime *r, uint32_t now_ms) {
  if (!r->frozen || now_ms - r->frozen_at_ms < r->board.config.watchdog_ms) return;
  for (uint8_t c = 0; c < r->board.config.caps.channel_count; c++) r->hal.output[c] = (sb_output){0};
  r->frozen = false;
  r->hal.frozen = false;
  say(r, "hardware watchdog: output cut, MCU reset");
  (void)sb_board_reset(&r->board, now_ms);
  r->last_tick_ms = now_ms;
}

static void control(runtime *r, char *line, uint32_t now_ms) {
  long channel = -1;
  uint32_t ppm = 0;
  char word[32] = {0};
  if (sscanf(line, "electrode-off %ld", &channel) == 1 && channel >= 0 && channel < (long)r->board.config.caps.channel_count) {
    r->hal.electrode_off[channel] = true;
  } else if (sscanf(line, "electrode-on %ld", &channel) == 1 && channel >= 0 && channel < (long)r->board.config.caps.channel_count) {
    r->hal.electrode_off[channel] = false;
  } else if (sscanf(line, "corrupt %u", &ppm) == 1 && ppm <= 1000000u) {
    r->hal.corrupt_ppm = ppm;
  } else if (sscanf(line, "%31s", word) == 1 && strcmp(word, "freeze") == 0) {
    freeze(r, now_ms);
  } else if (strcmp(word, "reset") == 0) {
    r->frozen = false;
    r->hal.frozen = false;
    (void)sb_board_reset(&r->board, now_ms);
  } else if (strcmp(word, "quit") == 0) {
    stop_requested = 1;
  } else if (strcmp(word, "status") == 0) {
    fprintf(stdout, "STATUS fault=%u hello=%d frames_in=%lu out_bytes=%llu dropped=%llu drops_crc=%lu watchdog_trips=%lu\n",
            r->board.fault, r->board.hello_done, (unsigned long)r->board.stats.frames_in,
            (unsigned long long)r->hal.bytes_out, (unsigned long long)r->hal.bytes_dropped,
            (unsigned long)r->board.rx.drops[SB_DROP_CRC], (unsigned long)r->board.stats.watchdog_trips);
    fflush(stdout);
    return;
  } else {
    fprintf(stderr, "stimbench-host-board: unknown command: %s\n", line);
    return;
  }
  fprintf(stdout, "OK %s\n", line);
  fflush(stdout);
}

int main(int argc, char **argv) {
  static runtime r;
  sb_board_config config;
  sb_board_default_config(&config);
  snprintf(config.serial_number, sizeof config.serial_number, "SB-HOST-0001");
  options o = {HOST_LINK_PTY, "127.0.0.1", 0, 1000u, 1u, -1, -1, -1, -1, 0u, false};
  if (!parse(argc, argv, &config, &o)) return 2;
  r.quiet = o.quiet;
  host_hal_init(&r.hal, &r.hal_functions, o.load_ohm, config.caps.compliance_mv, o.seed);
  r.hal.corrupt_ppm = o.corrupt_ppm;
  if (!host_link_open(&r.link, o.link, o.bind_address, o.port)) return 1;
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);
  const uint32_t now0 = monotonic_ms();
  r.start_ms = now0;
  r.last_tick_ms = now0;
  if (sb_board_init(&r.board, &config, &r.hal_functions, SB_BOOT_COLD, now0) != SB_OK) {
    fprintf(stderr, "stimbench-host-board: invalid board configuration\n");
    return 2;
  }
  r.hal.out_fd = r.link.out_fd;
  /* The one line a test or a user waits for. */
  if (o.link == HOST_LINK_PTY) fprintf(stdout, "PTY %s\n", r.link.path);
  else if (o.link == HOST_LINK_TCP) fprintf(stdout, "TCP %s\n", r.link.path);
  fflush(stdout);

  char control_line[256];
  size_t control_length = 0;
  bool stdin_open = o.link != HOST_LINK_STDIO;
  while (!stop_requested) {
    struct pollfd fds[3];
    nfds_t n = 0;
    int link_index = -1, listen_index = -1, control_index = -1;
    if (r.link.in_fd >= 0) { fds[n] = (struct pollfd){r.link.in_fd, POLLIN, 0}; link_index = (int)n++; }
    if (r.link.listen_fd >= 0 && r.link.in_fd < 0) { fds[n] = (struct pollfd){r.link.listen_fd, POLLIN, 0}; listen_index = (int)n++; }
    if (stdin_open) { fds[n] = (struct pollfd){STDIN_FILENO, POLLIN, 0}; control_index = (int)n++; }
    /* Wake at least once per millisecond: the tick. */
    (void)poll(fds, n, 1);
    const uint32_t now = monotonic_ms();

    /* One tick per elapsed millisecond, each at its own time, so a late wake-up loses no sample;
     * before the bytes that arrived meanwhile, so time never runs backwards for the board. */
    if (!r.frozen) {
      while (r.last_tick_ms != now) {
        r.last_tick_ms++;
        (void)sb_board_tick(&r.board, r.last_tick_ms);
      }
    } else {
      r.last_tick_ms = now;
    }
    if (listen_index >= 0 && (fds[listen_index].revents & POLLIN)) {
      host_link_accept(&r.link);
      r.hal.out_fd = r.link.out_fd;
    }
    if (link_index >= 0 && (fds[link_index].revents & (POLLIN | POLLHUP | POLLERR))) {
      uint8_t buffer[4096];
      const ssize_t got = read(r.link.in_fd, buffer, sizeof buffer);
      if (got > 0) {
        if (!r.frozen) (void)sb_board_receive(&r.board, buffer, (size_t)got, now);
      } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        if (o.link == HOST_LINK_TCP) {
          host_link_drop_client(&r.link);
          r.hal.out_fd = -1;
        } else if (o.link == HOST_LINK_STDIO) {
          break; /* stdin closed: the host is gone */
        }
      }
    }
    if (control_index >= 0 && (fds[control_index].revents & (POLLIN | POLLHUP))) {
      char c;
      const ssize_t got = read(STDIN_FILENO, &c, 1);
      if (got <= 0) {
        stdin_open = false; /* no controller: keep serving */
      } else if (c == '\n') {
        control_line[control_length] = '\0';
        control(&r, control_line, now);
        control_length = 0;
      } else if (control_length + 1 < sizeof control_line) {
        control_line[control_length++] = c;
      }
    }
    /* Scheduled faults. */
    const uint32_t since_start = now - r.start_ms;
    if (o.electrode_off_at_ms >= 0 && since_start >= (uint32_t)o.electrode_off_at_ms) {
      r.hal.electrode_off[o.electrode_off_channel] = true;
      o.electrode_off_at_ms = -1;
    }
    if (o.freeze_at_ms >= 0 && since_start >= (uint32_t)o.freeze_at_ms) {
      freeze(&r, now);
      o.freeze_at_ms = -1;
    }
    if (o.reset_at_ms >= 0 && since_start >= (uint32_t)o.reset_at_ms) {
      (void)sb_board_reset(&r.board, now);
      o.reset_at_ms = -1;
    }
    hardware_watchdog(&r, now);
  }
  /* Leaving: every output to 0 (the process is the output stage here). */
  for (uint8_t c = 0; c < r.board.config.caps.channel_count; c++) r.hal.output[c] = (sb_output){0};
  return 0;
}
