#include <stddef.h>
#include <string.h>

#include "sb_fake_hal.h"

static void set_output(void *context, uint8_t channel, const sb_output *output) {
  fake_hal *f = context;
  f->output[channel] = *output;
  f->set_output_calls++;
}

static void read_load(void *context, uint8_t channel, uint32_t test_ua, int32_t *voltage_mv, int32_t *current_ua) {
  fake_hal *f = context;
  uint64_t commanded = test_ua > 0u ? test_ua : f->output[channel].amplitude_ua;
  if (test_ua > 0u) f->test_pulses++;
  const uint64_t ohm = f->load_ohm[channel];
  /* Current clips where the voltage would pass compliance: I ≤ V_max / R. */
  const uint64_t limit = ohm > 0u ? (uint64_t)f->compliance_mv * 1000u / ohm : commanded;
  uint64_t current = commanded < limit ? commanded : limit;
  current = current * f->current_permille / 1000u;
  *current_ua = (int32_t)current;
  *voltage_mv = (int32_t)(current * ohm / 1000u);
}

static void send(void *context, const uint8_t *bytes, size_t length) {
  fake_hal *f = context;
  f->bytes_sent += length;
  if (!f->decode) return;
  for (size_t i = 0; i < length; i++) {
    if (sb_receiver_push(&f->rx, bytes[i]) != SB_RX_FRAME || f->count >= FAKE_MAX_MESSAGES) continue;
    const size_t n = sb_receiver_frame_length(&f->rx);
    memcpy(f->frames[f->count], f->rx_buffer, n);
    if (sb_decode_frame(f->frames[f->count], n, &f->messages[f->count]) == SB_OK) {
      for (size_t c = 0; c < SB_MESSAGE_MAX_STATUS_CHANNELS; c++) f->amplitude_at_send[f->count][c] = f->output[c].amplitude_ua;
      f->count++;
    }
  }
}

void fake_hal_clear(fake_hal *f) { f->count = 0; }

void fake_hal_init(fake_hal *f, sb_hal *hal) {
  /* The message store is large and only read up to `count`: clear the rest (the fuzzer inits per run). */
  memset(f, 0, offsetof(fake_hal, messages));
  for (size_t c = 0; c < SB_MESSAGE_MAX_STATUS_CHANNELS; c++) f->load_ohm[c] = 1000u;
  f->compliance_mv = SB_DEFAULT_COMPLIANCE_MV;
  f->current_permille = 1000u;
  f->decode = true;
  (void)sb_receiver_init(&f->rx, f->rx_buffer, sizeof f->rx_buffer, SB_PROTOCOL_VERSION);
  hal->context = f;
  hal->set_output = set_output;
  hal->read_load = read_load;
  hal->send = send;
}
