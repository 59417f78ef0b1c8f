/* The board's message handling (PROTOCOL.md § 6, § 11, § 12, § 14), the sample tick and the watchdog.
 * Same rules, order of checks and NACK fields as the simulated board (hardware-mock Firmware.ts). */
#include <string.h>

#include "sb_internal.h"
#include "sb_validate.h"

void sb_board_default_config(sb_board_config *c) {
  memset(c, 0, sizeof *c);
  c->caps.channel_count = 2;
  c->caps.max_amplitude_ua = SB_DEFAULT_MAX_AMPLITUDE_UA;
  c->caps.max_pulse_width_us = SB_DEFAULT_MAX_PULSE_WIDTH_US;
  c->caps.min_frequency_decihz = SB_DEFAULT_MIN_FREQUENCY_DECIHZ;
  c->caps.max_frequency_decihz = SB_DEFAULT_MAX_FREQUENCY_DECIHZ;
  c->caps.max_slew_ua_per_s = SB_DEFAULT_MAX_SLEW_UA_PER_S;
  c->caps.compliance_mv = SB_DEFAULT_COMPLIANCE_MV;
  c->watchdog_ms = SB_DEFAULT_WATCHDOG_MS;
  c->telemetry_rate_hz = 1000;
  c->telemetry_batch_ms = 100;
  c->firmware_major = 1;
  c->min_version = SB_PROTOCOL_VERSION;
  c->max_version = SB_PROTOCOL_VERSION;
  memcpy(c->serial_number, "SB-C-0001", sizeof "SB-C-0001");
}

static bool config_ok(const sb_board_config *c) {
  if (c->caps.channel_count < 1u || c->caps.channel_count > SB_MAX_CHANNELS) return false;
  if (c->watchdog_ms == 0u || c->min_version == 0u || c->min_version > c->max_version) return false;
  if (c->telemetry_rate_hz != 0u && c->telemetry_rate_hz != 1000u) return false;
  if (c->telemetry_batch_ms < 1u || c->telemetry_batch_ms > SB_MAX_TELEMETRY_SAMPLES) return false;
  size_t n = 0;
  while (n <= SB_MAX_SERIAL_BYTES && c->serial_number[n] != '\0') {
    if (c->serial_number[n] < 0x20 || c->serial_number[n] > 0x7E) return false;
    n++;
  }
  return n <= SB_MAX_SERIAL_BYTES;
}

/* Everything but the counters back to power-on state. */
static void restart(sb_board *b, sb_boot_cause cause, uint32_t now_ms) {
  b->now_ms = now_ms;
  sb_cut_all(b);
  memset(b->channels, 0, sizeof b->channels);
  sb_receiver_reset(&b->rx);
  b->hello_done = false;
  b->version = 0;
  b->fault = SB_FAULT_NONE;
  b->seq = 1;
  b->boot_ms = now_ms;
  b->watchdog_armed = false;
  b->next_batch_ms = b->config.telemetry_batch_ms;
  if (cause == SB_BOOT_RESET) {
    /* § 6.7: a reset can never resume stimulation silently. */
    b->fault = SB_FAULT_RESET;
    sb_message m = {.type = SB_TYPE_FAULT, .seq = sb_next_seq(b)};
    m.u.fault.code = SB_FAULT_RESET;
    m.u.fault.channel = SB_ALL_CHANNELS;
    sb_send(b, &m);
    sb_send_status(b, 0);
  }
}

sb_rc sb_board_init(sb_board *b, const sb_board_config *config, const sb_hal *hal, sb_boot_cause cause, uint32_t now_ms) {
  if (b == NULL || config == NULL || hal == NULL) return SB_ERR_ARG;
  if (hal->set_output == NULL || hal->read_load == NULL || hal->send == NULL || !config_ok(config)) return SB_ERR_ARG;
  memset(b, 0, sizeof *b);
  b->config = *config;
  b->hal = *hal;
  if (sb_receiver_init(&b->rx, b->rx_buffer, sizeof b->rx_buffer, SB_PROTOCOL_VERSION) != SB_OK) return SB_ERR_ARG;
  restart(b, cause, now_ms);
  return SB_OK;
}

sb_rc sb_board_reset(sb_board *b, uint32_t now_ms) {
  if (b == NULL) return SB_ERR_ARG;
  restart(b, SB_BOOT_RESET, now_ms);
  return SB_OK;
}

uint8_t sb_board_channel_state(const sb_board *b, uint8_t channel, uint32_t now_ms) {
  if (b == NULL || channel >= b->config.caps.channel_count) return SB_STATE_IDLE;
  return sb_channel_sample(&b->channels[channel], now_ms, NULL);
}

uint32_t sb_board_channel_level_ua(const sb_board *b, uint8_t channel, uint32_t now_ms) {
  uint32_t level = 0;
  if (b != NULL && channel < b->config.caps.channel_count) (void)sb_channel_sample(&b->channels[channel], now_ms, &level);
  return level;
}

/* V / I of a reading, Ω; an open load (no current) reads as the largest value. */
static uint32_t impedance_of(int32_t voltage_mv, int32_t current_ua) {
  if (current_ua <= 0) return UINT32_MAX;
  const uint64_t v = voltage_mv < 0 ? (uint64_t)(-(int64_t)voltage_mv) : (uint64_t)voltage_mv;
  const uint64_t ohm = v * 1000u / (uint64_t)current_ua; /* mV / µA = kΩ */
  return ohm > UINT32_MAX ? UINT32_MAX : (uint32_t)ohm;
}

uint32_t sb_measure_impedance_ohm(sb_board *b, uint8_t channel) {
  sb_channel *ch = &b->channels[channel];
  int32_t voltage_mv = 0, current_ua = 0;
  /* A running channel is measured on its own pulses; an idle one with a small test pulse. */
  const bool live = ch->running && ch->output.amplitude_ua > 0u;
  b->hal.read_load(b->hal.context, channel, live ? 0u : SB_IMPEDANCE_TEST_UA, &voltage_mv, &current_ua);
  return impedance_of(voltage_mv, current_ua);
}

/* ---- requests ---- */

/* True when a version was agreed (INFO follows); false after a NACK (nothing changed). */
static bool handle_hello(sb_board *b, const sb_message *m) {
  const uint8_t lo = b->config.min_version, hi = b->config.max_version;
  const uint8_t want_lo = m->u.hello.min_version, want_hi = m->u.hello.max_version;
  /* The highest version in both ranges. */
  const uint8_t top = want_hi < hi ? want_hi : hi;
  const uint8_t bottom = want_lo > lo ? want_lo : lo;
  if (top < bottom) {
    if (want_hi < lo) sb_send_nack(b, m->seq, m->type, SB_NACK_UNSUPPORTED_VERSION, SB_FIELD_VERSION, want_hi, lo);
    else sb_send_nack(b, m->seq, m->type, SB_NACK_UNSUPPORTED_VERSION, SB_FIELD_VERSION, want_lo, hi);
    return false;
  }
  b->hello_done = true;
  b->version = top;
  b->watchdog_armed = true;
  b->last_valid_ms = b->now_ms;
  return true;
}

static void send_info(sb_board *b, uint16_t reply_to) {
  sb_message m = {.type = SB_TYPE_INFO, .seq = sb_next_seq(b)};
  const sb_board_config *c = &b->config;
  m.u.info.reply_to = reply_to;
  m.u.info.protocol_version = b->version != 0u ? b->version : c->max_version;
  m.u.info.firmware_major = c->firmware_major;
  m.u.info.firmware_minor = c->firmware_minor;
  m.u.info.firmware_patch = c->firmware_patch;
  m.u.info.watchdog_ms = c->watchdog_ms;
  m.u.info.telemetry_rate_hz = c->telemetry_rate_hz;
  m.u.info.caps = c->caps;
  m.u.info.serial_length = (uint8_t)strlen(c->serial_number);
  memcpy(m.u.info.serial_number, c->serial_number, m.u.info.serial_length);
  sb_send(b, &m);
}

static void handle(sb_board *b, const sb_message *m) {
  const uint8_t count = b->config.caps.channel_count;
  const uint32_t now = b->now_ms;
  sb_limit_failure f;
  switch (m->type) {
    case SB_TYPE_HELLO:
      if (handle_hello(b, m)) send_info(b, m->seq);
      return;
    case SB_TYPE_GET_INFO: send_info(b, m->seq); return;
    case SB_TYPE_GET_STATUS: sb_send_status(b, m->seq); return;
    case SB_TYPE_HEARTBEAT: sb_send_ack(b, m->seq, m->type); return;
    case SB_TYPE_SET_PROGRAM: {
      const sb_program *p = &m->u.program;
      if (p->channel >= count) { sb_send_nack(b, m->seq, m->type, SB_NACK_BAD_CHANNEL, SB_FIELD_CHANNEL, p->channel, count - 1u); return; }
      if (sb_channel_sample(&b->channels[p->channel], now, NULL) != SB_STATE_IDLE) {
        sb_send_nack(b, m->seq, m->type, SB_NACK_BUSY, SB_FIELD_CHANNEL, p->channel, 0);
        return;
      }
      if (!sb_check_program(p, &b->config.caps, &f)) { sb_send_nack(b, m->seq, m->type, f.code, f.field, f.value, f.bound); return; }
      b->channels[p->channel].stored = *p;
      b->channels[p->channel].has_stored = true;
      sb_message ack = {.type = SB_TYPE_ACK, .seq = sb_next_seq(b)};
      ack.u.ack.reply_to = m->seq;
      ack.u.ack.acked_type = m->type;
      ack.u.ack.echo_kind = SB_ECHO_PROGRAM;
      ack.u.ack.program = b->channels[p->channel].stored; /* as stored: the host checks it byte for byte */
      sb_send(b, &ack);
      return;
    }
    case SB_TYPE_START: {
      const uint8_t c = m->u.channel;
      if (c >= count) { sb_send_nack(b, m->seq, m->type, SB_NACK_BAD_CHANNEL, SB_FIELD_CHANNEL, c, count - 1u); return; }
      if (b->fault != SB_FAULT_NONE) { sb_send_nack(b, m->seq, m->type, SB_NACK_FAULT_LATCHED, SB_FIELD_NONE, b->fault, 0); return; }
      sb_channel *ch = &b->channels[c];
      if (sb_channel_sample(ch, now, NULL) != SB_STATE_IDLE) { sb_send_nack(b, m->seq, m->type, SB_NACK_BUSY, SB_FIELD_CHANNEL, c, 0); return; }
      if (!ch->has_stored) { sb_send_nack(b, m->seq, m->type, SB_NACK_NO_PROGRAM, SB_FIELD_CHANNEL, c, 0); return; }
      ch->running = false;
      const uint32_t ohm = sb_measure_impedance_ohm(b, c);
      if (ohm >= SB_IMPEDANCE_LIMIT_OHM) { sb_send_nack(b, m->seq, m->type, SB_NACK_IMPEDANCE_FAIL, SB_FIELD_NONE, ohm, SB_IMPEDANCE_LIMIT_OHM); return; }
      sb_channel_start(ch, &ch->stored, now, sb_effective_slew_ua_per_s(&b->config.caps));
      sb_send_ack(b, m->seq, m->type);
      sb_status_if_changed(b, false);
      return;
    }
    case SB_TYPE_STOP: {
      const uint8_t c = m->u.channel;
      if (c != SB_ALL_CHANNELS && c >= count) { sb_send_nack(b, m->seq, m->type, SB_NACK_BAD_CHANNEL, SB_FIELD_CHANNEL, c, count - 1u); return; }
      for (uint8_t i = 0; i < count; i++) {
        if (c == SB_ALL_CHANNELS || c == i) {
          (void)sb_channel_stop(&b->channels[i], now);
          uint32_t level = 0;
          (void)sb_channel_sample(&b->channels[i], now, &level);
          sb_channel_drive(b, i, level, now);
        }
      }
      sb_send_ack(b, m->seq, m->type);
      sb_status_if_changed(b, false);
      return;
    }
    case SB_TYPE_SET_AMPLITUDE: {
      const uint8_t c = m->u.amplitude.channel;
      if (c >= count) { sb_send_nack(b, m->seq, m->type, SB_NACK_BAD_CHANNEL, SB_FIELD_CHANNEL, c, count - 1u); return; }
      sb_channel *ch = &b->channels[c];
      const uint8_t state = sb_channel_sample(ch, now, NULL);
      if (state != SB_STATE_RAMPING_UP && state != SB_STATE_HOLDING) { sb_send_nack(b, m->seq, m->type, SB_NACK_BAD_STATE, SB_FIELD_CHANNEL, c, 0); return; }
      if (!sb_check_amplitude(&ch->active, m->u.amplitude.amplitude_ua, &b->config.caps, &f)) {
        sb_send_nack(b, m->seq, m->type, f.code, f.field, f.value, f.bound);
        return;
      }
      sb_channel_set_target(ch, m->u.amplitude.amplitude_ua, now, sb_effective_slew_ua_per_s(&b->config.caps));
      /* A decrease reaches the output stage now, not at the next tick. */
      uint32_t level = 0;
      (void)sb_channel_sample(ch, now, &level);
      sb_channel_drive(b, c, level, now);
      sb_message ack = {.type = SB_TYPE_ACK, .seq = sb_next_seq(b)};
      ack.u.ack.reply_to = m->seq;
      ack.u.ack.acked_type = m->type;
      ack.u.ack.echo_kind = SB_ECHO_AMPLITUDE;
      ack.u.ack.amplitude.channel = c;
      ack.u.ack.amplitude.amplitude_ua = m->u.amplitude.amplitude_ua;
      sb_send(b, &ack);
      sb_status_if_changed(b, false);
      return;
    }
    case SB_TYPE_ESTOP: {
      sb_cut_all(b); /* before anything is sent */
      b->fault = SB_FAULT_ESTOP;
      sb_send_ack(b, m->seq, m->type);
      sb_message fault = {.type = SB_TYPE_FAULT, .seq = sb_next_seq(b)};
      fault.u.fault.code = SB_FAULT_ESTOP;
      fault.u.fault.channel = SB_ALL_CHANNELS;
      sb_send(b, &fault);
      sb_status_if_changed(b, true);
      return;
    }
    case SB_TYPE_CLEAR_FAULT:
      b->fault = SB_FAULT_NONE; /* channels stay idle: nothing resumes by itself */
      sb_send_ack(b, m->seq, m->type);
      sb_status_if_changed(b, true);
      return;
    case SB_TYPE_MEASURE_IMPEDANCE: {
      const uint8_t c = m->u.channel;
      if (c >= count) { sb_send_nack(b, m->seq, m->type, SB_NACK_BAD_CHANNEL, SB_FIELD_CHANNEL, c, count - 1u); return; }
      const uint32_t ohm = sb_measure_impedance_ohm(b, c);
      sb_message r = {.type = SB_TYPE_IMPEDANCE, .seq = sb_next_seq(b)};
      r.u.impedance.reply_to = m->seq;
      r.u.impedance.channel = c;
      r.u.impedance.impedance_ohm = ohm;
      r.u.impedance.ok = ohm < SB_IMPEDANCE_LIMIT_OHM ? 1u : 0u;
      sb_send(b, &r);
      return;
    }
    default: return;
  }
}

/* A CRC-valid frame: NACK what cannot be used, feed the watchdog, enforce HELLO, then handle. */
static void on_frame(sb_board *b) {
  sb_message m;
  if (sb_decode_frame(b->rx_buffer, sb_receiver_frame_length(&b->rx), &m) != SB_OK) return; /* checked by the receiver */
  b->stats.frames_in++;
  if (m.type >= SB_TYPE_ACK) {
    /* A board → host message sent to the board: decodable, but not a request. */
    sb_send_nack(b, m.seq, m.type, SB_NACK_BAD_ENUM, SB_FIELD_NONE, m.type, 0);
    return;
  }
  if (b->hello_done) {
    b->last_valid_ms = b->now_ms;
    b->watchdog_armed = true;
  }
  if (!b->hello_done && m.type != SB_TYPE_HELLO && m.type != SB_TYPE_ESTOP) {
    sb_send_nack(b, m.seq, m.type, SB_NACK_HELLO_REQUIRED, SB_FIELD_NONE, 0, 0);
    return;
  }
  handle(b, &m);
}

/* A dropped frame with a trustworthy header (§ 14): NACK it if its type can be named. */
static void on_drop(sb_board *b) {
  const sb_receiver *rx = &b->rx;
  if (!rx->has_header || !sb_type_known(rx->drop_type)) return;
  const uint8_t type = rx->drop_type;
  if (rx->last_drop == SB_DROP_VERSION) {
    sb_send_nack(b, rx->drop_seq, type, SB_NACK_UNSUPPORTED_VERSION, SB_FIELD_VERSION, rx->drop_version, SB_PROTOCOL_VERSION);
    return;
  }
  if (rx->last_drop != SB_DROP_MALFORMED) return;
  const int expected = sb_request_body_bytes(type);
  const size_t got = rx->drop_body_length;
  if (expected < 0) {
    sb_send_nack(b, rx->drop_seq, type, SB_NACK_BAD_ENUM, SB_FIELD_NONE, type, 0);
  } else if (got != (size_t)expected) {
    sb_send_nack(b, rx->drop_seq, type, SB_NACK_BAD_LENGTH, SB_FIELD_NONE, (uint32_t)got, (uint32_t)expected);
  } else if (type == SB_TYPE_SET_PROGRAM) {
    const uint8_t mode = rx->buffer[SB_HEADER_BYTES + 1u], waveform = rx->buffer[SB_HEADER_BYTES + 2u];
    if (mode >= SB_MODE_COUNT) sb_send_nack(b, rx->drop_seq, type, SB_NACK_BAD_ENUM, SB_FIELD_MODE, mode, SB_MODE_COUNT - 1u);
    else sb_send_nack(b, rx->drop_seq, type, SB_NACK_BAD_ENUM, SB_FIELD_WAVEFORM, waveform, SB_WAVEFORM_COUNT - 1u);
  } else {
    sb_send_nack(b, rx->drop_seq, type, SB_NACK_BAD_ENUM, SB_FIELD_NONE, 0, 0);
  }
}

sb_rc sb_board_receive(sb_board *b, const uint8_t *bytes, size_t length, uint32_t now_ms) {
  if (b == NULL || (bytes == NULL && length > 0u)) return SB_ERR_ARG;
  b->now_ms = now_ms;
  for (size_t i = 0; i < length; i++) {
    const sb_rx_event e = sb_receiver_push(&b->rx, bytes[i]);
    if (e == SB_RX_FRAME) on_frame(b);
    else if (e == SB_RX_DROP) on_drop(b);
  }
  return SB_OK;
}

/* ---- the tick ---- */

sb_rc sb_board_tick(sb_board *b, uint32_t now_ms) {
  if (b == NULL) return SB_ERR_ARG;
  b->now_ms = now_ms;
  const uint8_t count = b->config.caps.channel_count;

  /* Watchdog (§ 12.2): no valid request for watchdog_ms → every output to 0, fault latched. */
  /* Signed difference: a tick for an instant before the last frame (a port catching up) is not silence. */
  const int32_t silent_ms = (int32_t)(now_ms - b->last_valid_ms);
  if (b->watchdog_armed && silent_ms >= (int32_t)b->config.watchdog_ms) {
    b->watchdog_armed = false;
    b->stats.watchdog_trips++;
    sb_latch_fault(b, SB_FAULT_WATCHDOG, SB_ALL_CHANNELS, (uint32_t)silent_ms);
  }

  for (uint8_t c = 0; c < count; c++) {
    sb_channel *ch = &b->channels[c];
    uint32_t level = 0;
    (void)sb_channel_sample(ch, now_ms, &level);
    /* Independent session timer: output after durationMs is a fault, whatever the plan says. */
    if (ch->running && level > 0u && now_ms - ch->start_ms >= ch->active.duration_ms) {
      sb_latch_fault(b, SB_FAULT_DURATION_EXCEEDED, c, now_ms - ch->start_ms);
      level = 0;
    }
    sb_channel_drive(b, c, level, now_ms);
    const bool live = ch->running && level > 0u;
    ch->load_voltage_mv = 0;
    ch->load_current_ua = 0;
    if (live) {
      b->hal.read_load(b->hal.context, c, 0, &ch->load_voltage_mv, &ch->load_current_ua);
      const uint32_t ohm = impedance_of(ch->load_voltage_mv, ch->load_current_ua);
      if (ohm >= SB_ELECTRODE_OFF_OHM) {
        sb_latch_fault(b, SB_FAULT_ELECTRODE_OFF, c, ohm);
        ch->load_voltage_mv = 0;
        ch->load_current_ua = 0;
      } else if (ch->load_current_ua > 0 && (uint32_t)ch->load_current_ua > level + level / 10u + 1000u) {
        /* More current than commanded (10 % + 1 mA of measurement tolerance): the output stage is faulty. */
        sb_latch_fault(b, SB_FAULT_OVERCURRENT, c, (uint32_t)ch->load_current_ua);
        ch->load_voltage_mv = 0;
        ch->load_current_ua = 0;
      }
    }
  }
  /* Samples after the state changes above, then STATUS for any channel that changed (end of a ramp,
   * end of the session). */
  for (uint8_t c = 0; c < count; c++) {
    const uint8_t state = sb_channel_sample(&b->channels[c], now_ms, NULL);
    sb_telemetry_record(b, c, now_ms, b->channels[c].running && state != SB_STATE_IDLE);
  }
  sb_status_if_changed(b, false);
  if (now_ms - b->boot_ms >= b->next_batch_ms) {
    b->next_batch_ms += b->config.telemetry_batch_ms;
    sb_telemetry_end_batch(b);
  }
  return SB_OK;
}
