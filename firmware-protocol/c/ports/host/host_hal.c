#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "host_hal.h"

static uint32_t next_random(host_hal *h) {
  uint32_t x = h->rng;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  h->rng = x;
  return x;
}

static void set_output(void *context, uint8_t channel, const sb_output *output) {
  host_hal *h = context;
  h->output[channel] = *output;
}

static void read_load(void *context, uint8_t channel, uint32_t test_ua, int32_t *voltage_mv, int32_t *current_ua) {
  host_hal *h = context;
  const uint64_t commanded = test_ua > 0u ? test_ua : h->output[channel].amplitude_ua;
  const uint64_t ohm = h->electrode_off[channel] ? HOST_ELECTRODE_OFF_OHM : h->load_ohm[channel];
  /* A current source: the set current, unless the voltage would pass compliance. */
  const uint64_t limit = (uint64_t)h->compliance_mv * 1000u / ohm;
  const uint64_t current = commanded < limit ? commanded : limit;
  /* ±1 % measurement noise on the voltage (as the simulated board's impedance readings). */
  const uint64_t noise_permille = 990u + next_random(h) % 21u;
  *current_ua = (int32_t)current;
  *voltage_mv = (int32_t)(current * ohm / 1000u * noise_permille / 1000u);
}

static void send_bytes(void *context, const uint8_t *bytes, size_t length) {
  host_hal *h = context;
  if (h->frozen) return;
  if (h->out_fd < 0) {
    h->bytes_dropped += length;
    return;
  }
  uint8_t copy[SB_MAX_WIRE_BYTES];
  if (length > sizeof copy) return;
  memcpy(copy, bytes, length);
  if (h->corrupt_ppm > 0u) {
    for (size_t i = 0; i < length; i++) {
      if (next_random(h) % 1000000u < h->corrupt_ppm) {
        copy[i] ^= (uint8_t)(1u << (next_random(h) % 8u));
        h->bytes_corrupted++;
      }
    }
  }
  size_t done = 0;
  while (done < length) {
    const ssize_t n = write(h->out_fd, copy + done, length - done);
    if (n > 0) {
      done += (size_t)n;
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      /* Nobody reads (full pty buffer, slow client): drop the rest of the frame, as a UART would. */
      h->bytes_dropped += length - done;
      break;
    }
  }
  h->bytes_out += done;
}

void host_hal_init(host_hal *h, sb_hal *hal, uint32_t load_ohm, uint32_t compliance_mv, uint32_t seed) {
  memset(h, 0, sizeof *h);
  for (size_t c = 0; c < SB_MAX_CHANNELS; c++) h->load_ohm[c] = load_ohm;
  h->compliance_mv = compliance_mv;
  h->rng = seed != 0u ? seed : 0x9E3779B9u;
  h->out_fd = -1;
  hal->context = h;
  hal->set_output = set_output;
  hal->read_load = read_load;
  hal->send = send_bytes;
}
