/* Frames to the host: sequence numbers, replies, STATUS and fault latching (PROTOCOL.md § 5, § 12.3). */
#include <string.h>

#include "sb_internal.h"

uint16_t sb_next_seq(sb_board *b) {
  const uint16_t s = b->seq;
  b->seq = s >= 0xFFFFu ? 1u : (uint16_t)(s + 1u);
  return s;
}

void sb_send(sb_board *b, const sb_message *m) {
  size_t length = 0;
  /* Every frame is framed with header version 1: v1 layouts are the only ones this core has. */
  if (sb_encode_frame(m, SB_PROTOCOL_VERSION, b->tx, sizeof b->tx, &length) != SB_OK) {
    /* Only a bug can get here (the board builds every message itself); count it, send nothing. */
    b->stats.send_errors++;
    return;
  }
  b->stats.frames_out++;
  b->hal.send(b->hal.context, b->tx, length);
}

void sb_send_ack(sb_board *b, uint16_t reply_to, uint8_t acked_type) {
  sb_message m = {.type = SB_TYPE_ACK, .seq = sb_next_seq(b)};
  m.u.ack.reply_to = reply_to;
  m.u.ack.acked_type = acked_type;
  m.u.ack.echo_kind = SB_ECHO_NONE;
  sb_send(b, &m);
}

void sb_send_nack(sb_board *b, uint16_t reply_to, uint8_t rejected_type, uint8_t code, uint8_t field, uint32_t value, uint32_t bound) {
  sb_message m = {.type = SB_TYPE_NACK, .seq = sb_next_seq(b)};
  m.u.nack.reply_to = reply_to;
  m.u.nack.rejected_type = rejected_type;
  m.u.nack.code = code;
  m.u.nack.field = field;
  m.u.nack.value = value;
  m.u.nack.bound = bound;
  b->stats.nacks_sent++;
  sb_send(b, &m);
}

void sb_send_status(sb_board *b, uint16_t reply_to) {
  sb_message m = {.type = SB_TYPE_STATUS, .seq = sb_next_seq(b)};
  const uint32_t now = b->now_ms;
  m.u.status.reply_to = reply_to;
  m.u.status.uptime_ms = now - b->boot_ms;
  m.u.status.fault = b->fault;
  m.u.status.hello_done = b->hello_done ? 1u : 0u;
  m.u.status.channel_count = b->config.caps.channel_count;
  for (uint8_t c = 0; c < b->config.caps.channel_count; c++) {
    const sb_channel *ch = &b->channels[c];
    sb_status_channel *s = &m.u.status.channels[c];
    uint32_t level = 0;
    s->channel = c;
    s->state = sb_channel_sample(ch, now, &level);
    s->amplitude_ua = level;
    s->target_ua = sb_channel_target_ua(ch, now);
    s->elapsed_ms = s->state == SB_STATE_IDLE ? 0u : now - ch->start_ms;
  }
  sb_send(b, &m);
}

void sb_status_if_changed(sb_board *b, bool force) {
  bool changed = false;
  for (uint8_t c = 0; c < b->config.caps.channel_count; c++) {
    sb_channel *ch = &b->channels[c];
    const uint8_t state = sb_channel_sample(ch, b->now_ms, NULL);
    if (state != ch->reported_state) {
      ch->reported_state = state;
      changed = true;
    }
    /* A session that reached its end is over: the channel is idle for START and SET_PROGRAM. */
    if (state == SB_STATE_IDLE) ch->running = false;
  }
  if (changed || force) sb_send_status(b, 0);
}

void sb_latch_fault(sb_board *b, uint8_t code, uint8_t channel, uint32_t detail) {
  sb_cut_all(b); /* output first: the frames below can wait, the current cannot */
  b->fault = code;
  sb_message m = {.type = SB_TYPE_FAULT, .seq = sb_next_seq(b)};
  m.u.fault.code = code;
  m.u.fault.channel = channel;
  m.u.fault.detail = detail;
  sb_send(b, &m);
  sb_status_if_changed(b, true);
}
