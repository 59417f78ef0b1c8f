/* The board's limit checks against programs-invalid.json and the r.m.s. worked values of PROTOCOL.md. */
#include "sb_codec.h"
#include "sb_test.h"
#include "sb_validate.h"
#include "sb_vectors.h"

static void program_vectors_refused_naming_an_allowed_field(void) {
  for (size_t i = 0; i < SB_PROGRAM_VECTOR_COUNT; i++) {
    const sb_program_vector *v = &SB_PROGRAM_VECTORS[i];
    sb_program p;
    sb_read_program(v->program, &p);
    sb_limit_failure f = {0};
    const bool ok = sb_check_program(&p, &v->caps, &f);
    if (ok == (v->refuses != 0u)) printf("  vector %s\n", v->name);
    CHECK_EQ(ok, !v->refuses);
    if (ok) continue;
    bool named = false;
    for (size_t k = 0; k < v->field_count; k++) named = named || v->fields[k] == f.field;
    if (!named) printf("  vector %s: field %u not allowed\n", v->name, f.field);
    CHECK(named);
  }
}

static sb_program conventional(void) {
  sb_program p = {0};
  p.mode = SB_MODE_CONVENTIONAL;
  p.frequency_decihz = 1500;
  p.pulse_width_us = 250;
  p.amplitude_ua = 20000;
  p.duration_ms = 1800000;
  p.ramp_up_ms = 5000;
  p.ramp_down_ms = 3000;
  return p;
}

static void rms_bound_worked_values(void) {
  sb_program p = conventional();
  CHECK_EQ(sb_rms_amplitude_bound_ua(&p), 182574u);
  p.waveform = SB_WAVEFORM_ASYMMETRIC_BIPHASIC;
  CHECK_EQ(sb_rms_amplitude_bound_ua(&p), 230940u);
  p = conventional();
  p.mode = SB_MODE_BURST;
  p.frequency_decihz = 50;
  p.burst_pulses = 10;
  p.pulse_width_us = 300;
  CHECK_EQ(sb_rms_amplitude_bound_ua(&p), 288675u);
}

/* The slew rule: rampUpMs ≥ ceil(amplitude · 1000 / min(caps slew, 10 mA/s)); bound = that minimum. */
static void slew_rule_names_minimum_ramp(void) {
  sb_caps caps = {2, 80000, 400, 10, 1500, 5000, 80000};
  sb_program p = conventional();
  p.ramp_up_ms = 3999;
  sb_limit_failure f;
  CHECK(!sb_check_program(&p, &caps, &f));
  CHECK_EQ(f.code, SB_NACK_OUT_OF_RANGE);
  CHECK_EQ(f.field, SB_FIELD_RAMP_UP_MS);
  CHECK_EQ(f.bound, 4000u);
  p.ramp_up_ms = 4000;
  CHECK(sb_check_program(&p, &caps, &f));
  caps.max_slew_ua_per_s = 0; /* a board that may not rise at all */
  CHECK(!sb_check_program(&p, &caps, &f));
  CHECK_EQ(f.field, SB_FIELD_RAMP_UP_MS);
}

/* A live amplitude is checked against the running program's mode and the caps, never its ramp. */
static void amplitude_check_uses_mode_and_caps(void) {
  sb_caps caps = {2, 45000, 400, 10, 1500, 10000, 80000};
  sb_program p = conventional();
  sb_limit_failure f;
  CHECK(sb_check_amplitude(&p, 45000, &caps, &f));
  CHECK(!sb_check_amplitude(&p, 45001, &caps, &f));
  CHECK_EQ(f.bound, 45000u);
  caps.max_amplitude_ua = 80000;
  CHECK(!sb_check_amplitude(&p, 60001, &caps, &f)); /* conventional mode: 60 mA */
  CHECK_EQ(f.bound, 60000u);
}

#ifdef SB_MAX_CHARGE_PER_PHASE_NC
/* Charge per phase ≤ 25 µC: 70 mA at 400 µs (28 µC) is refused naming the highest amplitude that
 * passes, before the r.m.s. rule, for programs and live amplitudes alike. */
static void charge_per_phase_cap(void) {
  sb_caps caps = {2, 80000, 400, 10, 1500, 10000, 80000};
  sb_program p = {0};
  p.mode = SB_MODE_ACUPUNCTURE_LIKE;
  p.frequency_decihz = 20;
  p.pulse_width_us = 400;
  p.amplitude_ua = 70000;
  p.duration_ms = 1800000;
  p.ramp_up_ms = 7000;
  p.ramp_down_ms = 3000;
  sb_limit_failure f;
  CHECK(!sb_check_program(&p, &caps, &f));
  CHECK_EQ(f.code, SB_NACK_CHARGE_PER_PHASE);
  CHECK_EQ(f.field, SB_FIELD_AMPLITUDE_UA);
  CHECK_EQ(f.bound, 62500u);
  p.amplitude_ua = 62500;
  CHECK(sb_check_program(&p, &caps, &f));
  CHECK(!sb_check_amplitude(&p, 62501, &caps, &f));
  CHECK_EQ(f.code, SB_NACK_CHARGE_PER_PHASE);
}
#endif

void sb_tests_validate(void) {
#ifdef SB_MAX_CHARGE_PER_PHASE_NC
  RUN(charge_per_phase_cap);
#endif
  RUN(program_vectors_refused_naming_an_allowed_field);
  RUN(rms_bound_worked_values);
  RUN(slew_rule_names_minimum_ramp);
  RUN(amplitude_check_uses_mode_and_caps);
}
