/* TELEMETRY (PROTOCOL.md § 12.5): one sample per channel per tick while it runs, sent in batches; a
 * channel is sampled for one more batch after it goes idle, so the host sees its output reach 0. */
#include "sb_internal.h"

static void send_batch(sb_board *b, uint8_t channel) {
  sb_channel *ch = &b->channels[channel];
  if (ch->sample_count == 0u) return;
  sb_message m = {.type = SB_TYPE_TELEMETRY, .seq = sb_next_seq(b)};
  m.u.telemetry.channel = channel;
  m.u.telemetry.sample_count = ch->sample_count;
  m.u.telemetry.sample_interval_us = SB_SAMPLE_INTERVAL_US;
  m.u.telemetry.first_sample_ms = ch->first_sample_ms;
  m.u.telemetry.samples = ch->samples;
  sb_send(b, &m);
  ch->sample_count = 0;
}

void sb_telemetry_record(sb_board *b, uint8_t channel, uint32_t now_ms, bool running) {
  sb_channel *ch = &b->channels[channel];
  if (b->config.telemetry_rate_hz == 0u) return;
  if (running) ch->active_this_batch = true;
  if (!running && !ch->active_this_batch && !ch->trailing_batch) return;
  if (ch->sample_count == 0u) ch->first_sample_ms = now_ms - b->boot_ms;
  sb_sample *s = &ch->samples[ch->sample_count++];
  s->current_ua = running ? ch->load_current_ua : 0;
  s->voltage_mv = running ? ch->load_voltage_mv : 0;
  if (ch->sample_count >= SB_MAX_TELEMETRY_SAMPLES) send_batch(b, channel);
}

void sb_telemetry_end_batch(sb_board *b) {
  for (uint8_t c = 0; c < b->config.caps.channel_count; c++) {
    sb_channel *ch = &b->channels[c];
    send_batch(b, c);
    ch->trailing_batch = ch->active_this_batch;
    ch->active_this_batch = ch->running;
  }
}

void sb_telemetry_discard(sb_board *b) {
  for (uint8_t c = 0; c < SB_MAX_CHANNELS; c++) {
    b->channels[c].sample_count = 0;
    b->channels[c].active_this_batch = false;
    b->channels[c].trailing_batch = false;
  }
}
