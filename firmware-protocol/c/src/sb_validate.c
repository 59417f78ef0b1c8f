/* Board-side program checks (see sb_validate.h). Integer only; 64-bit where a product can pass 2^32. */
#include "sb_validate.h"

const sb_mode_limits SB_MODE_LIMITS[SB_MODE_COUNT] = SB_MODE_LIMITS_INIT;

static bool fail(sb_limit_failure *f, uint8_t code, uint8_t field, uint32_t value, uint32_t bound) {
  f->code = code;
  f->field = field;
  f->value = value;
  f->bound = bound;
  return false;
}
static bool out_of_range(sb_limit_failure *f, uint8_t field, uint32_t value, uint32_t bound) {
  return fail(f, SB_NACK_OUT_OF_RANGE, field, value, bound);
}
static uint32_t min_u32(uint32_t a, uint32_t b) { return a < b ? a : b; }
static uint32_t max_u32(uint32_t a, uint32_t b) { return a > b ? a : b; }

uint32_t sb_effective_slew_ua_per_s(const sb_caps *caps) { return min_u32(caps->max_slew_ua_per_s, SB_MAX_SLEW_UA_PER_S); }

/* q · r of PROTOCOL.md § 13.2: phase time in quarter-µs times pulse rate in 0.1 Hz (< 2^40). */
static uint64_t phase_rate_term(const sb_program *p) {
  const uint64_t q = p->waveform == SB_WAVEFORM_ASYMMETRIC_BIPHASIC
                         ? (uint64_t)p->pulse_width_us * (4u + 4u / SB_ASYMMETRIC_PHASE_RATIO)
                         : 8u * (uint64_t)p->pulse_width_us;
  uint64_t r;
  if (p->mode == SB_MODE_BURST) r = (uint64_t)p->frequency_decihz * p->burst_pulses; /* mean rate */
  else if (p->mode == SB_MODE_MODULATED) r = max_u32(p->frequency_decihz, p->sweep_high_decihz); /* worst case */
  else r = p->frequency_decihz;
  return q * r;
}

uint32_t sb_rms_amplitude_bound_ua(const sb_program *p) {
  const uint64_t qr = phase_rate_term(p);
  if (qr == 0u) return UINT32_MAX;
  /* Largest a with a² ≤ floor(10^17 / qr): integer square root by bisection (no floats, ≤ 33 steps). */
  const uint64_t limit = SB_RMS_LIMIT_TERM / qr;
  uint64_t lo = 0, hi = 0xFFFFFFFFu;
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo + 1u) / 2u;
    if (mid <= limit / mid) lo = mid; else hi = mid - 1u;
  }
  return (uint32_t)lo;
}

static uint32_t amplitude_cap(const sb_program *p, const sb_caps *caps) {
  return min_u32(SB_MODE_LIMITS[p->mode].max_amplitude_ua, caps->max_amplitude_ua);
}

#ifdef SB_MAX_CHARGE_PER_PHASE_NC
uint32_t sb_charge_amplitude_bound_ua(const sb_program *p) {
  if (p->pulse_width_us == 0u) return UINT32_MAX;
  return (uint32_t)((uint64_t)SB_MAX_CHARGE_PER_PHASE_NC * 1000u / p->pulse_width_us);
}
#endif

/* The amplitude-dependent rules after the range checks: charge per phase (when the tables have it),
 * then r.m.s. current. */
static bool amplitude_rules(const sb_program *p, uint32_t amplitude_ua, sb_limit_failure *f) {
#ifdef SB_MAX_CHARGE_PER_PHASE_NC
  const uint32_t charge = sb_charge_amplitude_bound_ua(p);
  if (amplitude_ua > charge) return fail(f, SB_NACK_CHARGE_PER_PHASE, SB_FIELD_AMPLITUDE_UA, amplitude_ua, charge);
#endif
  const uint32_t rms = sb_rms_amplitude_bound_ua(p);
  if (amplitude_ua > rms) return fail(f, SB_NACK_RMS_CURRENT, SB_FIELD_AMPLITUDE_UA, amplitude_ua, rms);
  return true;
}

bool sb_check_amplitude(const sb_program *p, uint32_t amplitude_ua, const sb_caps *caps, sb_limit_failure *f) {
  const uint32_t cap = amplitude_cap(p, caps);
  if (amplitude_ua > cap) return out_of_range(f, SB_FIELD_AMPLITUDE_UA, amplitude_ua, cap);
  return amplitude_rules(p, amplitude_ua, f);
}

bool sb_check_program(const sb_program *p, const sb_caps *caps, sb_limit_failure *f) {
  if (p->channel >= caps->channel_count) return fail(f, SB_NACK_BAD_CHANNEL, SB_FIELD_CHANNEL, p->channel, (uint32_t)caps->channel_count - 1u);
  const sb_mode_limits *m = &SB_MODE_LIMITS[p->mode];

  /* Caps only tighten: the higher minimum, the lower maximum. */
  const uint32_t f_lo = max_u32(m->min_frequency_decihz, caps->min_frequency_decihz);
  const uint32_t f_hi = min_u32(m->max_frequency_decihz, caps->max_frequency_decihz);
  if (p->frequency_decihz < f_lo) return out_of_range(f, SB_FIELD_FREQUENCY_DECI_HZ, p->frequency_decihz, f_lo);
  if (p->frequency_decihz > f_hi) return out_of_range(f, SB_FIELD_FREQUENCY_DECI_HZ, p->frequency_decihz, f_hi);

  const uint32_t pw_hi = min_u32(m->max_pulse_width_us, caps->max_pulse_width_us);
  if (p->pulse_width_us < m->min_pulse_width_us) return out_of_range(f, SB_FIELD_PULSE_WIDTH_US, p->pulse_width_us, m->min_pulse_width_us);
  if (p->pulse_width_us > pw_hi) return out_of_range(f, SB_FIELD_PULSE_WIDTH_US, p->pulse_width_us, pw_hi);

  const uint32_t cap = amplitude_cap(p, caps);
  if (p->amplitude_ua > cap) return out_of_range(f, SB_FIELD_AMPLITUDE_UA, p->amplitude_ua, cap);

  if (p->duration_ms < SB_MIN_DURATION_MS) return out_of_range(f, SB_FIELD_DURATION_MS, p->duration_ms, SB_MIN_DURATION_MS);
  if (p->duration_ms > m->max_duration_ms) return out_of_range(f, SB_FIELD_DURATION_MS, p->duration_ms, m->max_duration_ms);

  /* Every rise is a ramp no faster than the slew limit: rampUpMs ≥ ceil(amplitude · 1000 / slew).
   * A slew cap of 0 allows no rise at all. */
  const uint32_t slew = sb_effective_slew_ua_per_s(caps);
  uint64_t min_ramp_up = 0;
  if (p->amplitude_ua > 0u) {
    min_ramp_up = slew == 0u ? UINT32_MAX : ((uint64_t)p->amplitude_ua * 1000u + slew - 1u) / slew;
    if (min_ramp_up > UINT32_MAX) min_ramp_up = UINT32_MAX;
  }
  if (p->ramp_up_ms < min_ramp_up) return out_of_range(f, SB_FIELD_RAMP_UP_MS, p->ramp_up_ms, (uint32_t)min_ramp_up);
  if (p->ramp_up_ms > SB_MAX_RAMP_MS) return out_of_range(f, SB_FIELD_RAMP_UP_MS, p->ramp_up_ms, SB_MAX_RAMP_MS);
  if (p->ramp_down_ms > SB_MAX_RAMP_MS) return out_of_range(f, SB_FIELD_RAMP_DOWN_MS, p->ramp_down_ms, SB_MAX_RAMP_MS);
  /* Both ramps ≤ 5 min here, so the sum cannot wrap. */
  if (p->ramp_up_ms + p->ramp_down_ms > p->duration_ms) return out_of_range(f, SB_FIELD_DURATION_MS, p->duration_ms, p->ramp_up_ms + p->ramp_down_ms);

  if (m->has_burst) {
    if (p->burst_pulses < m->burst_min_pulses) return out_of_range(f, SB_FIELD_BURST_PULSES, p->burst_pulses, m->burst_min_pulses);
    if (p->burst_pulses > m->burst_max_pulses) return out_of_range(f, SB_FIELD_BURST_PULSES, p->burst_pulses, m->burst_max_pulses);
    const uint32_t b_hi = min_u32(m->burst_max_frequency_decihz, caps->max_frequency_decihz);
    if (p->burst_frequency_decihz < m->burst_min_frequency_decihz) return out_of_range(f, SB_FIELD_BURST_FREQUENCY_DECI_HZ, p->burst_frequency_decihz, m->burst_min_frequency_decihz);
    if (p->burst_frequency_decihz > b_hi) return out_of_range(f, SB_FIELD_BURST_FREQUENCY_DECI_HZ, p->burst_frequency_decihz, b_hi);
    /* Train = pulses / rate ≤ maxTrainMs  ⟺  pulses · 10 000 ≤ maxTrainMs · rate (0.1 Hz). */
    const uint32_t allowed = (uint32_t)m->burst_max_train_ms * p->burst_frequency_decihz;
    if ((uint32_t)p->burst_pulses * 10000u > allowed) return out_of_range(f, SB_FIELD_BURST_PULSES, p->burst_pulses, allowed / 10000u);
  } else {
    if (p->burst_pulses != 0u) return out_of_range(f, SB_FIELD_BURST_PULSES, p->burst_pulses, 0);
    if (p->burst_frequency_decihz != 0u) return out_of_range(f, SB_FIELD_BURST_FREQUENCY_DECI_HZ, p->burst_frequency_decihz, 0);
  }

  if (m->has_sweep) {
    if (p->sweep_high_decihz <= p->frequency_decihz) return out_of_range(f, SB_FIELD_SWEEP_HIGH_DECI_HZ, p->sweep_high_decihz, (uint32_t)p->frequency_decihz + 1u);
    if (p->sweep_high_decihz > f_hi) return out_of_range(f, SB_FIELD_SWEEP_HIGH_DECI_HZ, p->sweep_high_decihz, f_hi);
    if (p->sweep_period_ms < m->sweep_min_period_ms) return out_of_range(f, SB_FIELD_SWEEP_PERIOD_MS, p->sweep_period_ms, m->sweep_min_period_ms);
    if (p->sweep_period_ms > m->sweep_max_period_ms) return out_of_range(f, SB_FIELD_SWEEP_PERIOD_MS, p->sweep_period_ms, m->sweep_max_period_ms);
  } else {
    if (p->sweep_high_decihz != 0u) return out_of_range(f, SB_FIELD_SWEEP_HIGH_DECI_HZ, p->sweep_high_decihz, 0);
    if (p->sweep_period_ms != 0u) return out_of_range(f, SB_FIELD_SWEEP_PERIOD_MS, p->sweep_period_ms, 0);
  }

  return amplitude_rules(p, p->amplitude_ua, f);
}
