/* The board: every piece of mutable state of one stimulator in one struct, so a host can run several.
 *
 *   sb_board_init(&board, &config, &hal, now_ms);     once, at boot
 *   sb_board_receive(&board, bytes, n, now_ms);        for every byte received (from the UART ISR or loop)
 *   sb_board_tick(&board, now_ms);                     once per millisecond (the sample clock)
 *
 * Frames are handled when their delimiter arrives, inside sb_board_receive: an ESTOP has set every
 * output to 0 before that call returns. sb_board_tick advances ramps, sends TELEMETRY and runs the
 * watchdog. Neither may run concurrently with the other (call both from one context, or mask the UART
 * interrupt around the tick). */
#ifndef SB_BOARD_H
#define SB_BOARD_H

#include "sb_codec.h"
#include "sb_hal.h"
#include "sb_receiver.h"

/* Channels this build supports (RAM: about 0.9 kB per channel for its telemetry batch). */
#ifndef SB_MAX_CHANNELS
#define SB_MAX_CHANNELS 2u
#endif
#if SB_MAX_CHANNELS < 1 || SB_MAX_CHANNELS > SB_MESSAGE_MAX_STATUS_CHANNELS
#error "SB_MAX_CHANNELS must be 1 to 16"
#endif

/* A running channel whose load reads at or above this is an electrode off (PROTOCOL.md § 10.6), Ω. */
#define SB_ELECTRODE_OFF_OHM 1000000u
/* Current of the impedance test pulse, µA, and its width, µs (as the simulated board's test pulse). */
#define SB_IMPEDANCE_TEST_UA 1000u
#define SB_IMPEDANCE_TEST_PULSE_US 100u
/* TELEMETRY interval: the tick. */
#define SB_SAMPLE_INTERVAL_US 1000u

typedef struct sb_board_config {
  sb_caps caps;              /* channel_count ≤ SB_MAX_CHANNELS */
  uint16_t watchdog_ms;      /* 1 … 65535; SB_DEFAULT_WATCHDOG_MS */
  uint16_t telemetry_rate_hz; /* 0 (no TELEMETRY) or 1000 (one sample per tick) */
  uint16_t telemetry_batch_ms; /* one TELEMETRY frame per channel per batch; ≤ 100 at 1 kHz */
  uint8_t firmware_major, firmware_minor, firmware_patch;
  uint8_t min_version, max_version; /* versions HELLO may negotiate; frames are always v1 layouts */
  char serial_number[SB_MAX_SERIAL_BYTES + 1u]; /* printable ASCII, NUL-terminated */
} sb_board_config;

/* Why the board booted: a cold start has nothing to resume; anything else is a reset (§ 6.7). */
typedef enum sb_boot_cause { SB_BOOT_COLD = 0, SB_BOOT_RESET } sb_boot_cause;

typedef struct sb_channel {
  sb_program stored;          /* the program SET_PROGRAM stored */
  bool has_stored;
  sb_program active;          /* the program playing (valid while running) */
  bool running;
  uint8_t reported_state;     /* SB_STATE_* last reported in STATUS */
  uint32_t start_ms;          /* board clock at START; every plan time below is relative to it */
  /* Rise: level(t) = min(target, level0 + rise_num · (t − t0) / rise_den); rise_den 0 = at target. */
  uint32_t t0_rel_ms, level0_ua, target_ua, rise_num, rise_den;
  /* Fall: linear from down_from_ua at down_at to 0 at down_end. */
  uint32_t down_at_rel_ms, down_end_rel_ms, down_from_ua;
  sb_output output;           /* what the HAL was last told */
  int32_t load_voltage_mv, load_current_ua; /* last reading */
  /* Telemetry batch in hand. */
  sb_sample samples[SB_MAX_TELEMETRY_SAMPLES];
  uint8_t sample_count;
  uint32_t first_sample_ms;
  bool active_this_batch, trailing_batch;
} sb_channel;

typedef struct sb_board_stats {
  uint32_t frames_in, frames_out, nacks_sent, watchdog_trips, send_errors;
} sb_board_stats;

typedef struct sb_board {
  sb_board_config config;
  sb_hal hal;
  sb_receiver rx;
  uint8_t rx_buffer[SB_RECEIVER_BOARD_CAPACITY];
  uint8_t tx[SB_MAX_WIRE_BYTES];
  bool hello_done;
  uint8_t version;            /* negotiated, 0 before HELLO */
  uint8_t fault;              /* SB_FAULT_*, 0 none */
  uint16_t seq;               /* next board seq, 1 … 65535 */
  uint32_t boot_ms;
  uint32_t now_ms;            /* the latest clock value seen */
  bool watchdog_armed;
  uint32_t last_valid_ms;     /* when the last valid request arrived */
  uint32_t next_batch_ms;     /* uptime at which the telemetry batch period ends */
  sb_channel channels[SB_MAX_CHANNELS];
  sb_board_stats stats;
} sb_board;

/* Start the board at `now_ms`. SB_BOOT_RESET latches fault `reset` and sends FAULT and STATUS (§ 6.7).
 * Failures: SB_ERR_ARG (NULL pointer, a NULL HAL function, channel_count 0 or > SB_MAX_CHANNELS,
 * watchdog_ms 0, telemetry_rate_hz not 0 or 1000, telemetry_batch_ms not 1 … 100, min_version 0 or
 * above max_version, a serial number longer than 32 bytes or not printable ASCII). */
sb_rc sb_board_init(sb_board *board, const sb_board_config *config, const sb_hal *hal, sb_boot_cause cause, uint32_t now_ms);

/* A config with the simulated board's defaults (2 channels, its caps, 500 ms watchdog, 1 kHz telemetry
 * in 100 ms batches, firmware 1.0.0, protocol 1, serial "SB-C-0001"). Cannot fail. */
void sb_board_default_config(sb_board_config *config);

/* Bytes from the host, at `now_ms`. Frames are handled (and answered) as their delimiters arrive.
 * Failures: SB_ERR_ARG (NULL board, or NULL bytes with length > 0). */
sb_rc sb_board_receive(sb_board *board, const uint8_t *bytes, size_t length, uint32_t now_ms);

/* The sample clock: call once per millisecond with the time. Advances ramps (and the end of a session),
 * drives the HAL, samples the load, sends TELEMETRY and STATUS, runs the watchdog and the electrode
 * and duration checks. Failures: SB_ERR_ARG (NULL board). */
sb_rc sb_board_tick(sb_board *board, uint32_t now_ms);

/* A reset seen by the firmware without rebooting (brown-out detector): as SB_BOOT_RESET.
 * Failures: SB_ERR_ARG (NULL board). */
sb_rc sb_board_reset(sb_board *board, uint32_t now_ms);

/* Read-only views for ports and tests. */
uint8_t sb_board_channel_state(const sb_board *board, uint8_t channel, uint32_t now_ms);
uint32_t sb_board_channel_level_ua(const sb_board *board, uint8_t channel, uint32_t now_ms);

#endif /* SB_BOARD_H */
