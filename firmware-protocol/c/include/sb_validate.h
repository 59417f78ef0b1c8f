/* The board's own limit checks (PROTOCOL.md § 13.5): the mode table, the board's caps, the slew rule,
 * ramps, burst and sweep rules and the r.m.s. current limit, in integer arithmetic, stopping at the
 * first failure because a NACK names one field. The order and the NACK fields match the simulated
 * board's checks (hardware-mock firmwareValidation.ts), so both boards refuse with the same bytes. */
#ifndef SB_VALIDATE_H
#define SB_VALIDATE_H

#include "sb_types.h"

/* Why a program or amplitude is refused: exactly what goes into the NACK. */
typedef struct sb_limit_failure {
  uint8_t code;  /* SB_NACK_OUT_OF_RANGE, SB_NACK_RMS_CURRENT, SB_NACK_BAD_CHANNEL (or SB_NACK_CHARGE_PER_PHASE) */
  uint8_t field; /* SB_FIELD_* */
  uint32_t value;
  uint32_t bound; /* inclusive: the largest (or smallest) value that would pass */
} sb_limit_failure;

/* The per-mode table, indexed by mode code (generated from the TypeScript MODE_LIMITS). */
extern const sb_mode_limits SB_MODE_LIMITS[SB_MODE_COUNT];

/* The slew limit in force: the smaller of the board's cap and SB_MAX_SLEW_UA_PER_S. Cannot fail. */
uint32_t sb_effective_slew_ua_per_s(const sb_caps *caps);

/* Highest amplitude within 50 mA r.m.s. for this program's width, waveform and rate (exact, integer),
 * or UINT32_MAX when the program fires no pulses. Cannot fail (mode and waveform must be known codes). */
uint32_t sb_rms_amplitude_bound_ua(const sb_program *program);

#ifdef SB_MAX_CHARGE_PER_PHASE_NC
/* Highest amplitude whose primary phase carries at most SB_MAX_CHARGE_PER_PHASE_NC at this width, µA
 * (UINT32_MAX for a 0 µs width). Cannot fail. */
uint32_t sb_charge_amplitude_bound_ua(const sb_program *program);
#endif

/* Check `program` against the mode table and `caps`. Returns true when the board will play it; false
 * with *failure filled in otherwise. Mode and waveform must already be known codes (the receiver NACKs
 * unknown ones as badEnum). Cannot fail otherwise. */
bool sb_check_program(const sb_program *program, const sb_caps *caps, sb_limit_failure *failure);

/* Check a live SET_AMPLITUDE target for the running `program` (every limit but the ramp: a live rise is
 * slewed by the board). Returns true when allowed; false with *failure filled in. Cannot fail otherwise. */
bool sb_check_amplitude(const sb_program *program, uint32_t amplitude_ua, const sb_caps *caps, sb_limit_failure *failure);

#endif /* SB_VALIDATE_H */
