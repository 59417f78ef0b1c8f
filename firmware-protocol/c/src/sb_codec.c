/* Message bodies (PROTOCOL.md § 8, § 9): one size, writer and reader per type code. */
#include <string.h>

#include "sb_codec.h"
#include "sb_cobs.h"
#include "sb_crc.h"

#define SB_INFO_FIXED 30u
#define SB_STATUS_FIXED 9u
#define SB_STATUS_PER_CHANNEL 14u
#define SB_TELEMETRY_FIXED 8u
#define SB_TELEMETRY_PER_SAMPLE 8u

int sb_request_body_bytes(uint8_t type) {
  switch (type) {
    case SB_TYPE_HELLO: return 2;
    case SB_TYPE_SET_PROGRAM: return (int)SB_PROGRAM_BYTES;
    case SB_TYPE_START:
    case SB_TYPE_STOP:
    case SB_TYPE_MEASURE_IMPEDANCE: return 1;
    case SB_TYPE_SET_AMPLITUDE: return 5;
    case SB_TYPE_GET_INFO:
    case SB_TYPE_ESTOP:
    case SB_TYPE_CLEAR_FAULT:
    case SB_TYPE_HEARTBEAT:
    case SB_TYPE_GET_STATUS: return 0;
    default: return -1;
  }
}

bool sb_type_known(uint8_t type) {
  return sb_request_body_bytes(type) >= 0 || (type >= SB_TYPE_ACK && type <= SB_TYPE_IMPEDANCE);
}

static bool nack_code_known(uint8_t c) { return c >= 1u && c <= SB_NACK_LAST; }
static bool fault_code_known(uint8_t c) { return c >= 1u && c <= SB_FAULT_LAST; }
static bool field_known(uint8_t f) { return f <= SB_FIELD_LAST; }
static bool program_enums_known(const uint8_t *p) { return p[1] < SB_MODE_COUNT && p[2] < SB_WAVEFORM_COUNT; }

void sb_read_program(const uint8_t *b, sb_program *p) {
  p->channel = b[0];
  p->mode = b[1];
  p->waveform = b[2];
  p->burst_pulses = b[3];
  p->frequency_decihz = sb_get_u16(b + 4);
  p->pulse_width_us = sb_get_u16(b + 6);
  p->amplitude_ua = sb_get_u32(b + 8);
  p->duration_ms = sb_get_u32(b + 12);
  p->ramp_up_ms = sb_get_u32(b + 16);
  p->ramp_down_ms = sb_get_u32(b + 20);
  p->burst_frequency_decihz = sb_get_u16(b + 24);
  p->sweep_high_decihz = sb_get_u16(b + 26);
  p->sweep_period_ms = sb_get_u32(b + 28);
}

void sb_write_program(uint8_t *b, const sb_program *p) {
  b[0] = p->channel;
  b[1] = p->mode;
  b[2] = p->waveform;
  b[3] = p->burst_pulses;
  sb_put_u16(b + 4, p->frequency_decihz);
  sb_put_u16(b + 6, p->pulse_width_us);
  sb_put_u32(b + 8, p->amplitude_ua);
  sb_put_u32(b + 12, p->duration_ms);
  sb_put_u32(b + 16, p->ramp_up_ms);
  sb_put_u32(b + 20, p->ramp_down_ms);
  sb_put_u16(b + 24, p->burst_frequency_decihz);
  sb_put_u16(b + 26, p->sweep_high_decihz);
  sb_put_u32(b + 28, p->sweep_period_ms);
}

/* Body size of `m`, or 0 with *rc set when it cannot be encoded. */
static size_t body_size(const sb_message *m, sb_rc *rc) {
  *rc = SB_OK;
  int request = sb_request_body_bytes(m->type);
  if (request >= 0) return (size_t)request;
  switch (m->type) {
    case SB_TYPE_ACK:
      if (m->u.ack.echo_kind == SB_ECHO_PROGRAM) return 4u + SB_PROGRAM_BYTES;
      if (m->u.ack.echo_kind == SB_ECHO_AMPLITUDE) return 9u;
      if (m->u.ack.echo_kind == SB_ECHO_NONE) return 4u;
      break;
    case SB_TYPE_NACK: return 13u;
    case SB_TYPE_INFO:
      if (m->u.info.serial_length <= SB_MAX_SERIAL_BYTES) return SB_INFO_FIXED + m->u.info.serial_length;
      break;
    case SB_TYPE_STATUS:
      if (m->u.status.channel_count <= SB_MESSAGE_MAX_STATUS_CHANNELS) {
        return SB_STATUS_FIXED + SB_STATUS_PER_CHANNEL * (size_t)m->u.status.channel_count;
      }
      break;
    case SB_TYPE_TELEMETRY:
      if (m->u.telemetry.sample_count <= SB_MAX_TELEMETRY_SAMPLES) {
        return SB_TELEMETRY_FIXED + SB_TELEMETRY_PER_SAMPLE * (size_t)m->u.telemetry.sample_count;
      }
      break;
    case SB_TYPE_FAULT: return 6u;
    case SB_TYPE_IMPEDANCE: return 8u;
    default: *rc = SB_ERR_TYPE; return 0;
  }
  *rc = SB_ERR_RANGE;
  return 0;
}

/* Write the body of `m` at `b` (size from body_size). Fails with SB_ERR_RANGE on an unknown enum code. */
static sb_rc write_body(uint8_t *b, const sb_message *m) {
  switch (m->type) {
    case SB_TYPE_HELLO: b[0] = m->u.hello.min_version; b[1] = m->u.hello.max_version; return SB_OK;
    case SB_TYPE_SET_PROGRAM:
      if (m->u.program.mode >= SB_MODE_COUNT || m->u.program.waveform >= SB_WAVEFORM_COUNT) return SB_ERR_RANGE;
      sb_write_program(b, &m->u.program);
      return SB_OK;
    case SB_TYPE_START:
    case SB_TYPE_STOP:
    case SB_TYPE_MEASURE_IMPEDANCE: b[0] = m->u.channel; return SB_OK;
    case SB_TYPE_SET_AMPLITUDE: b[0] = m->u.amplitude.channel; sb_put_u32(b + 1, m->u.amplitude.amplitude_ua); return SB_OK;
    case SB_TYPE_ACK:
      if (!sb_type_known(m->u.ack.acked_type)) return SB_ERR_RANGE;
      sb_put_u16(b, m->u.ack.reply_to);
      b[2] = m->u.ack.acked_type;
      b[3] = m->u.ack.echo_kind;
      if (m->u.ack.echo_kind == SB_ECHO_PROGRAM) sb_write_program(b + 4, &m->u.ack.program);
      if (m->u.ack.echo_kind == SB_ECHO_AMPLITUDE) {
        b[4] = m->u.ack.amplitude.channel;
        sb_put_u32(b + 5, m->u.ack.amplitude.amplitude_ua);
      }
      return SB_OK;
    case SB_TYPE_NACK:
      if (!sb_type_known(m->u.nack.rejected_type) || !nack_code_known(m->u.nack.code) || !field_known(m->u.nack.field)) return SB_ERR_RANGE;
      sb_put_u16(b, m->u.nack.reply_to);
      b[2] = m->u.nack.rejected_type;
      b[3] = m->u.nack.code;
      b[4] = m->u.nack.field;
      sb_put_u32(b + 5, m->u.nack.value);
      sb_put_u32(b + 9, m->u.nack.bound);
      return SB_OK;
    case SB_TYPE_INFO: {
      const sb_caps *c = &m->u.info.caps;
      sb_put_u16(b, m->u.info.reply_to);
      b[2] = m->u.info.protocol_version;
      b[3] = m->u.info.firmware_major;
      b[4] = m->u.info.firmware_minor;
      b[5] = m->u.info.firmware_patch;
      b[6] = c->channel_count;
      sb_put_u16(b + 7, m->u.info.watchdog_ms);
      sb_put_u16(b + 9, m->u.info.telemetry_rate_hz);
      sb_put_u32(b + 11, c->max_amplitude_ua);
      sb_put_u16(b + 15, c->max_pulse_width_us);
      sb_put_u16(b + 17, c->min_frequency_decihz);
      sb_put_u16(b + 19, c->max_frequency_decihz);
      sb_put_u32(b + 21, c->max_slew_ua_per_s);
      sb_put_u32(b + 25, c->compliance_mv);
      b[29] = m->u.info.serial_length;
      for (size_t i = 0; i < m->u.info.serial_length; i++) {
        char ch = m->u.info.serial_number[i];
        if (ch < 0x20 || ch > 0x7E) return SB_ERR_RANGE;
        b[SB_INFO_FIXED + i] = (uint8_t)ch;
      }
      return SB_OK;
    }
    case SB_TYPE_STATUS: {
      if (m->u.status.fault != SB_FAULT_NONE && !fault_code_known(m->u.status.fault)) return SB_ERR_RANGE;
      if (m->u.status.hello_done > 1u) return SB_ERR_RANGE;
      sb_put_u16(b, m->u.status.reply_to);
      sb_put_u32(b + 2, m->u.status.uptime_ms);
      b[6] = m->u.status.fault;
      b[7] = m->u.status.hello_done;
      b[8] = m->u.status.channel_count;
      uint8_t *p = b + SB_STATUS_FIXED;
      for (size_t i = 0; i < m->u.status.channel_count; i++, p += SB_STATUS_PER_CHANNEL) {
        const sb_status_channel *c = &m->u.status.channels[i];
        if (c->state > SB_STATE_RAMPING_DOWN) return SB_ERR_RANGE;
        p[0] = c->channel;
        p[1] = c->state;
        sb_put_u32(p + 2, c->amplitude_ua);
        sb_put_u32(p + 6, c->target_ua);
        sb_put_u32(p + 10, c->elapsed_ms);
      }
      return SB_OK;
    }
    case SB_TYPE_TELEMETRY: {
      const size_t n = m->u.telemetry.sample_count;
      if (n > 0 && m->u.telemetry.samples == NULL && m->u.telemetry.wire_samples == NULL) return SB_ERR_RANGE;
      b[0] = m->u.telemetry.channel;
      b[1] = m->u.telemetry.sample_count;
      sb_put_u16(b + 2, m->u.telemetry.sample_interval_us);
      sb_put_u32(b + 4, m->u.telemetry.first_sample_ms);
      uint8_t *p = b + SB_TELEMETRY_FIXED;
      if (m->u.telemetry.samples != NULL) {
        for (size_t i = 0; i < n; i++, p += SB_TELEMETRY_PER_SAMPLE) {
          /* Two's complement on the wire: the conversion to uint32_t is defined modulo 2^32. */
          sb_put_u32(p, (uint32_t)m->u.telemetry.samples[i].current_ua);
          sb_put_u32(p + 4, (uint32_t)m->u.telemetry.samples[i].voltage_mv);
        }
      } else if (n > 0) {
        memmove(p, m->u.telemetry.wire_samples, n * SB_TELEMETRY_PER_SAMPLE);
      }
      return SB_OK;
    }
    case SB_TYPE_FAULT:
      if (!fault_code_known(m->u.fault.code)) return SB_ERR_RANGE;
      b[0] = m->u.fault.code;
      b[1] = m->u.fault.channel;
      sb_put_u32(b + 2, m->u.fault.detail);
      return SB_OK;
    case SB_TYPE_IMPEDANCE:
      if (m->u.impedance.ok > 1u) return SB_ERR_RANGE;
      sb_put_u16(b, m->u.impedance.reply_to);
      b[2] = m->u.impedance.channel;
      b[3] = m->u.impedance.ok;
      sb_put_u32(b + 4, m->u.impedance.impedance_ohm);
      return SB_OK;
    default: return SB_OK; /* body-less requests */
  }
}

sb_rc sb_encode_frame(const sb_message *m, uint8_t version, uint8_t *out, size_t out_capacity, size_t *out_length) {
  if (m == NULL || out == NULL || out_length == NULL) return SB_ERR_ARG;
  if (!sb_type_known(m->type)) return SB_ERR_TYPE;
  sb_rc rc;
  size_t body = body_size(m, &rc);
  if (rc != SB_OK) return rc;
  const size_t raw_length = SB_HEADER_BYTES + body + SB_CRC_BYTES;
  const size_t encoded_max = raw_length + raw_length / 254u + 1u;
  if (out_capacity < encoded_max + 1u) return SB_ERR_SPACE;
  /* Build the decoded frame at the end of the COBS overhead and encode it in place towards the front:
   * the encoder's output never overtakes its input when it starts (overhead) bytes behind. */
  const size_t overhead = encoded_max - raw_length;
  uint8_t *raw = out + overhead;
  raw[0] = version;
  raw[1] = m->type;
  sb_put_u16(raw + 2, m->seq);
  rc = write_body(raw + SB_HEADER_BYTES, m);
  if (rc != SB_OK) return rc;
  sb_put_u32(raw + SB_HEADER_BYTES + body, sb_crc32c(raw, SB_HEADER_BYTES + body));
  size_t encoded = 0;
  rc = sb_cobs_encode(raw, raw_length, out, out_capacity - 1u, &encoded);
  if (rc != SB_OK) return rc;
  out[encoded] = 0x00;
  *out_length = encoded + 1u;
  return SB_OK;
}

sb_rc sb_decode_frame(const uint8_t *frame, size_t frame_length, sb_message *m) {
  if (frame == NULL || m == NULL) return SB_ERR_ARG;
  if (frame_length < SB_HEADER_BYTES + SB_CRC_BYTES) return SB_ERR_LENGTH;
  const uint8_t type = frame[1];
  if (!sb_type_known(type)) return SB_ERR_TYPE;
  const uint8_t *b = frame + SB_HEADER_BYTES;
  const size_t len = frame_length - SB_HEADER_BYTES - SB_CRC_BYTES;
  memset(m, 0, sizeof *m);
  m->type = type;
  m->seq = sb_get_u16(frame + 2);
  const int request = sb_request_body_bytes(type);
  if (request >= 0) {
    if (len != (size_t)request) return SB_ERR_MALFORMED;
    switch (type) {
      case SB_TYPE_HELLO: m->u.hello.min_version = b[0]; m->u.hello.max_version = b[1]; break;
      case SB_TYPE_SET_PROGRAM:
        if (!program_enums_known(b)) return SB_ERR_MALFORMED;
        sb_read_program(b, &m->u.program);
        break;
      case SB_TYPE_START:
      case SB_TYPE_STOP:
      case SB_TYPE_MEASURE_IMPEDANCE: m->u.channel = b[0]; break;
      case SB_TYPE_SET_AMPLITUDE: m->u.amplitude.channel = b[0]; m->u.amplitude.amplitude_ua = sb_get_u32(b + 1); break;
      default: break;
    }
    return SB_OK;
  }
  switch (type) {
    case SB_TYPE_ACK: {
      if (len < 4u || !sb_type_known(b[2])) return SB_ERR_MALFORMED;
      const uint8_t kind = b[3];
      if (kind == SB_ECHO_PROGRAM) {
        if (len != 4u + SB_PROGRAM_BYTES || !program_enums_known(b + 4)) return SB_ERR_MALFORMED;
        sb_read_program(b + 4, &m->u.ack.program);
      } else if (kind == SB_ECHO_AMPLITUDE) {
        if (len != 9u) return SB_ERR_MALFORMED;
        m->u.ack.amplitude.channel = b[4];
        m->u.ack.amplitude.amplitude_ua = sb_get_u32(b + 5);
      } else if (kind != SB_ECHO_NONE || len != 4u) {
        return SB_ERR_MALFORMED;
      }
      m->u.ack.reply_to = sb_get_u16(b);
      m->u.ack.acked_type = b[2];
      m->u.ack.echo_kind = kind;
      return SB_OK;
    }
    case SB_TYPE_NACK:
      if (len != 13u || !sb_type_known(b[2]) || !nack_code_known(b[3]) || !field_known(b[4])) return SB_ERR_MALFORMED;
      m->u.nack.reply_to = sb_get_u16(b);
      m->u.nack.rejected_type = b[2];
      m->u.nack.code = b[3];
      m->u.nack.field = b[4];
      m->u.nack.value = sb_get_u32(b + 5);
      m->u.nack.bound = sb_get_u32(b + 9);
      return SB_OK;
    case SB_TYPE_INFO: {
      if (len < SB_INFO_FIXED) return SB_ERR_MALFORMED;
      const uint8_t serial_length = b[29];
      if (serial_length > SB_MAX_SERIAL_BYTES || len != SB_INFO_FIXED + serial_length) return SB_ERR_MALFORMED;
      for (size_t i = 0; i < serial_length; i++) {
        const uint8_t ch = b[SB_INFO_FIXED + i];
        if (ch < 0x20u || ch > 0x7Eu) return SB_ERR_MALFORMED;
        m->u.info.serial_number[i] = (char)ch;
      }
      m->u.info.serial_length = serial_length;
      m->u.info.reply_to = sb_get_u16(b);
      m->u.info.protocol_version = b[2];
      m->u.info.firmware_major = b[3];
      m->u.info.firmware_minor = b[4];
      m->u.info.firmware_patch = b[5];
      m->u.info.caps.channel_count = b[6];
      m->u.info.watchdog_ms = sb_get_u16(b + 7);
      m->u.info.telemetry_rate_hz = sb_get_u16(b + 9);
      m->u.info.caps.max_amplitude_ua = sb_get_u32(b + 11);
      m->u.info.caps.max_pulse_width_us = sb_get_u16(b + 15);
      m->u.info.caps.min_frequency_decihz = sb_get_u16(b + 17);
      m->u.info.caps.max_frequency_decihz = sb_get_u16(b + 19);
      m->u.info.caps.max_slew_ua_per_s = sb_get_u32(b + 21);
      m->u.info.caps.compliance_mv = sb_get_u32(b + 25);
      return SB_OK;
    }
    case SB_TYPE_STATUS: {
      if (len < SB_STATUS_FIXED) return SB_ERR_MALFORMED;
      const uint8_t n = b[8];
      if (len != SB_STATUS_FIXED + SB_STATUS_PER_CHANNEL * (size_t)n || b[7] > 1u) return SB_ERR_MALFORMED;
      if (b[6] != SB_FAULT_NONE && !fault_code_known(b[6])) return SB_ERR_MALFORMED;
      /* Larger STATUS frames are valid protocol, but this struct holds only so many entries. */
      if (n > SB_MESSAGE_MAX_STATUS_CHANNELS) return SB_ERR_MALFORMED;
      const uint8_t *p = b + SB_STATUS_FIXED;
      for (size_t i = 0; i < n; i++, p += SB_STATUS_PER_CHANNEL) {
        if (p[1] > SB_STATE_RAMPING_DOWN) return SB_ERR_MALFORMED;
        sb_status_channel *c = &m->u.status.channels[i];
        c->channel = p[0];
        c->state = p[1];
        c->amplitude_ua = sb_get_u32(p + 2);
        c->target_ua = sb_get_u32(p + 6);
        c->elapsed_ms = sb_get_u32(p + 10);
      }
      m->u.status.reply_to = sb_get_u16(b);
      m->u.status.uptime_ms = sb_get_u32(b + 2);
      m->u.status.fault = b[6];
      m->u.status.hello_done = b[7];
      m->u.status.channel_count = n;
      return SB_OK;
    }
    case SB_TYPE_TELEMETRY: {
      if (len < SB_TELEMETRY_FIXED) return SB_ERR_MALFORMED;
      const uint8_t n = b[1];
      if (n > SB_MAX_TELEMETRY_SAMPLES || len != SB_TELEMETRY_FIXED + SB_TELEMETRY_PER_SAMPLE * (size_t)n) return SB_ERR_MALFORMED;
      m->u.telemetry.channel = b[0];
      m->u.telemetry.sample_count = n;
      m->u.telemetry.sample_interval_us = sb_get_u16(b + 2);
      m->u.telemetry.first_sample_ms = sb_get_u32(b + 4);
      m->u.telemetry.samples = NULL;
      m->u.telemetry.wire_samples = b + SB_TELEMETRY_FIXED;
      return SB_OK;
    }
    case SB_TYPE_FAULT:
      if (len != 6u || !fault_code_known(b[0])) return SB_ERR_MALFORMED;
      m->u.fault.code = b[0];
      m->u.fault.channel = b[1];
      m->u.fault.detail = sb_get_u32(b + 2);
      return SB_OK;
    case SB_TYPE_IMPEDANCE:
      if (len != 8u || b[3] > 1u) return SB_ERR_MALFORMED;
      m->u.impedance.reply_to = sb_get_u16(b);
      m->u.impedance.channel = b[2];
      m->u.impedance.ok = b[3];
      m->u.impedance.impedance_ohm = sb_get_u32(b + 4);
      return SB_OK;
    default: return SB_ERR_TYPE;
  }
}

sb_rc sb_telemetry_sample(const sb_message *m, size_t index, sb_sample *s) {
  if (m == NULL || s == NULL || m->type != SB_TYPE_TELEMETRY || index >= m->u.telemetry.sample_count) return SB_ERR_ARG;
  if (m->u.telemetry.samples != NULL) {
    *s = m->u.telemetry.samples[index];
    return SB_OK;
  }
  if (m->u.telemetry.wire_samples == NULL) return SB_ERR_ARG;
  const uint8_t *p = m->u.telemetry.wire_samples + index * SB_TELEMETRY_PER_SAMPLE;
  /* Back from two's complement without implementation-defined conversion. */
  uint32_t c = sb_get_u32(p), v = sb_get_u32(p + 4);
  s->current_ua = c <= 0x7FFFFFFFu ? (int32_t)c : -(int32_t)(~c) - 1;
  s->voltage_mv = v <= 0x7FFFFFFFu ? (int32_t)v : -(int32_t)(~v) - 1;
  return SB_OK;
}
