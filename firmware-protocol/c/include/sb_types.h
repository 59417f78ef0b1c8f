/* Shared types of the StimBench C firmware core: the one return-code enum, the program block, the
 * board's caps and a telemetry sample. Units are in every name (PROTOCOL.md § 1). */
#ifndef SB_TYPES_H
#define SB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sb_generated.h"

/* Every fallible function returns one of these; each function's comment lists the ones it can return. */
typedef enum sb_rc {
  SB_OK = 0,
  SB_ERR_ARG,         /* a NULL pointer or a value the function documents as invalid */
  SB_ERR_SPACE,       /* the caller's buffer is too small for the result */
  SB_ERR_RANGE,       /* a field does not fit its wire width, or a count above the protocol's maximum */
  SB_ERR_COBS,        /* COBS: a code byte points past the end of the input */
  SB_ERR_LENGTH,      /* a frame shorter than header + CRC or longer than SB_MAX_FRAME_BYTES */
  SB_ERR_CRC,         /* CRC-32C mismatch */
  SB_ERR_VERSION,     /* header version this implementation does not speak */
  SB_ERR_TYPE,        /* type code not in the table */
  SB_ERR_MALFORMED    /* body length wrong for the type, or an unknown enumeration code */
} sb_rc;

/* The 32-byte PROGRAM block (PROTOCOL.md § 7), decoded. Field order follows the wire. */
typedef struct sb_program {
  uint8_t channel;
  uint8_t mode;
  uint8_t waveform;
  uint8_t burst_pulses;
  uint16_t frequency_decihz;
  uint16_t pulse_width_us;
  uint32_t amplitude_ua;
  uint32_t duration_ms;
  uint32_t ramp_up_ms;
  uint32_t ramp_down_ms;
  uint16_t burst_frequency_decihz;
  uint16_t sweep_high_decihz;
  uint32_t sweep_period_ms;
} sb_program;

/* What the output stage can do (INFO caps, PROTOCOL.md § 9). Caps only ever tighten the mode table. */
typedef struct sb_caps {
  uint8_t channel_count;
  uint32_t max_amplitude_ua;
  uint16_t max_pulse_width_us;
  uint16_t min_frequency_decihz;
  uint16_t max_frequency_decihz;
  uint32_t max_slew_ua_per_s;
  uint32_t compliance_mv;
} sb_caps;

/* One TELEMETRY sample: delivered peak current and the electrode voltage at that peak. */
typedef struct sb_sample {
  int32_t current_ua;
  int32_t voltage_mv;
} sb_sample;

/* ACK echo kinds (PROTOCOL.md § 10.3; frozen like every enumeration). */
#define SB_ECHO_NONE 0u
#define SB_ECHO_PROGRAM 1u
#define SB_ECHO_AMPLITUDE 2u

#endif /* SB_TYPES_H */
