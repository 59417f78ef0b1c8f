/* Messages of PROTOCOL.md v1 as C structs, and the frame codec: message → header, body, CRC-32C, COBS,
 * 0x00 (sb_encode_frame), and a checked decoded frame → message (sb_decode_frame). No allocation: the
 * caller supplies every buffer. */
#ifndef SB_CODEC_H
#define SB_CODEC_H

#include "sb_types.h"

/* STATUS entries a decoded or encoded sb_message can hold (the simulated board allows 16 channels). */
#define SB_MESSAGE_MAX_STATUS_CHANNELS 16u
/* Bytes sb_encode_frame needs for any frame: the COBS encoding of the largest frame, the delimiter. */
#define SB_MAX_WIRE_BYTES (SB_COBS_MAX_ENCODED_BYTES + 1u)
#define SB_COBS_MAX_ENCODED_BYTES (SB_MAX_FRAME_BYTES + SB_MAX_FRAME_BYTES / 254u + 1u)

typedef struct sb_status_channel {
  uint8_t channel;
  uint8_t state;
  uint32_t amplitude_ua;
  uint32_t target_ua;
  uint32_t elapsed_ms;
} sb_status_channel;

typedef struct sb_message {
  uint8_t type; /* SB_TYPE_* */
  uint16_t seq;
  union {
    struct { uint8_t min_version; uint8_t max_version; } hello;
    sb_program program;                                   /* SET_PROGRAM */
    uint8_t channel;                                      /* START, STOP, MEASURE_IMPEDANCE */
    struct { uint8_t channel; uint32_t amplitude_ua; } amplitude; /* SET_AMPLITUDE */
    struct {
      uint16_t reply_to;
      uint8_t acked_type;
      uint8_t echo_kind; /* SB_ECHO_* */
      sb_program program;
      struct { uint8_t channel; uint32_t amplitude_ua; } amplitude;
    } ack;
    struct {
      uint16_t reply_to;
      uint8_t rejected_type;
      uint8_t code;  /* SB_NACK_* */
      uint8_t field; /* SB_FIELD_* */
      uint32_t value;
      uint32_t bound;
    } nack;
    struct {
      uint16_t reply_to;
      uint8_t protocol_version;
      uint8_t firmware_major;
      uint8_t firmware_minor;
      uint8_t firmware_patch;
      uint16_t watchdog_ms;
      uint16_t telemetry_rate_hz;
      sb_caps caps;
      uint8_t serial_length;
      char serial_number[SB_MAX_SERIAL_BYTES + 1u];
    } info;
    struct {
      uint16_t reply_to;
      uint32_t uptime_ms;
      uint8_t fault; /* SB_FAULT_*, 0 none */
      uint8_t hello_done;
      uint8_t channel_count;
      sb_status_channel channels[SB_MESSAGE_MAX_STATUS_CHANNELS];
    } status;
    struct {
      uint8_t channel;
      uint8_t sample_count;
      uint16_t sample_interval_us;
      uint32_t first_sample_ms;
      /* Encoding reads `samples` (the board's capture buffer). Decoding leaves it NULL and points
       * `wire_samples` at the 8-byte little-endian samples inside the decoded frame instead (a decoded
       * frame is not aligned for int32 access); sb_telemetry_sample reads one. */
      const sb_sample *samples;
      const uint8_t *wire_samples;
    } telemetry;
    struct { uint8_t code; uint8_t channel; uint32_t detail; } fault;
    struct { uint16_t reply_to; uint8_t channel; uint8_t ok; uint32_t impedance_ohm; } impedance;
  } u;
} sb_message;

/* Body length a host → board request must have, or -1 for a type that is not a request. Cannot fail. */
int sb_request_body_bytes(uint8_t type);

/* Whether `type` is in the type table (§ 4). Cannot fail. */
bool sb_type_known(uint8_t type);

/* Encode `message` as complete wire bytes (COBS, trailing 0x00 included) framed with header `version`.
 * Failures: SB_ERR_ARG (NULL pointer), SB_ERR_TYPE (unknown type code), SB_ERR_RANGE (an enum code,
 * a count or a serial byte outside the protocol: nothing is truncated), SB_ERR_SPACE (`out_capacity`
 * below what this frame needs; SB_MAX_WIRE_BYTES always suffices). */
sb_rc sb_encode_frame(const sb_message *message, uint8_t version, uint8_t *out, size_t out_capacity, size_t *out_length);

/* Decode the body of a frame whose CRC, length and version were already checked (`frame` = the whole
 * decoded frame, header first, CRC last). Pointers in *message (telemetry samples) point into `frame`.
 * Failures: SB_ERR_ARG (NULL pointer), SB_ERR_LENGTH (shorter than header + CRC), SB_ERR_TYPE (unknown
 * type code), SB_ERR_MALFORMED (body length wrong for the type, or an unknown enumeration code). */
sb_rc sb_decode_frame(const uint8_t *frame, size_t frame_length, sb_message *message);

/* Sample `index` of a decoded TELEMETRY message. Failures: SB_ERR_ARG (NULL, not telemetry, or
 * index ≥ sample_count). */
sb_rc sb_telemetry_sample(const sb_message *message, size_t index, sb_sample *sample);

/* Little-endian helpers, used by the codec and the receiver. */
static inline uint16_t sb_get_u16(const uint8_t *p) { return (uint16_t)(p[0] | (uint16_t)(p[1] << 8)); }
static inline uint32_t sb_get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline void sb_put_u16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void sb_put_u32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

/* Read / write the 32-byte PROGRAM block. Reading cannot fail (enum codes are checked by the caller). */
void sb_read_program(const uint8_t *bytes, sb_program *program);
void sb_write_program(uint8_t *bytes, const sb_program *program);

#endif /* SB_CODEC_H */
