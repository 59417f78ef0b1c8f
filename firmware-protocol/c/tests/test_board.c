/* Message handling, ramps, slew and telemetry of the board (PROTOCOL.md § 6, § 11, § 12). */
#include <string.h>

#include "sb_cobs.h"
#include "sb_crc.h"
#include "sb_test.h"
#include "sb_test_board.h"

static const sb_message *expect_nack(test_board *t, uint8_t code, uint8_t field, uint32_t value, uint32_t bound) {
  const sb_message *n = tb_last(t, SB_TYPE_NACK);
  CHECK(n != NULL);
  if (n == NULL) return NULL;
  CHECK_EQ(n->u.nack.code, code);
  CHECK_EQ(n->u.nack.field, field);
  CHECK_EQ(n->u.nack.value, value);
  CHECK_EQ(n->u.nack.bound, bound);
  return n;
}

static void hello_required_before_anything_but_hello_and_estop(void) {
  test_board t;
  tb_init(&t, false);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
  expect_nack(&t, SB_NACK_HELLO_REQUIRED, SB_FIELD_NONE, 0, 0);
  sb_message start = {.type = SB_TYPE_START};
  (void)tb_send(&t, start);
  CHECK_EQ(tb_count(&t, SB_TYPE_NACK), 2);
  CHECK_EQ(tb_count(&t, SB_TYPE_ACK), 0);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_ESTOP});
  CHECK_EQ(tb_count(&t, SB_TYPE_ACK), 1);
}

static void hello_negotiates_and_info_reports_caps(void) {
  test_board t;
  tb_init(&t, false);
  sb_message hello = {.type = SB_TYPE_HELLO};
  hello.u.hello.min_version = 2;
  hello.u.hello.max_version = 3;
  (void)tb_send(&t, hello);
  expect_nack(&t, SB_NACK_UNSUPPORTED_VERSION, SB_FIELD_VERSION, 2, 1);
  CHECK(!t.board.hello_done);
  hello.u.hello.min_version = 1;
  const uint16_t seq = tb_send(&t, hello);
  const sb_message *info = tb_last(&t, SB_TYPE_INFO);
  CHECK(info != NULL);
  if (info == NULL) return;
  CHECK_EQ(info->u.info.reply_to, seq);
  CHECK_EQ(info->u.info.protocol_version, 1);
  CHECK_EQ(info->u.info.watchdog_ms, 500);
  CHECK_EQ(info->u.info.telemetry_rate_hz, 1000);
  CHECK_EQ(info->u.info.caps.channel_count, 2);
  CHECK_EQ(info->u.info.caps.max_amplitude_ua, 80000);
  CHECK_EQ(info->u.info.caps.max_slew_ua_per_s, 10000);
  CHECK(t.board.hello_done);
}

static void set_program_echoes_and_refuses_with_vector_fields(void) {
  test_board t;
  tb_init(&t, true);
  sb_message set = {.type = SB_TYPE_SET_PROGRAM};
  set.u.program = tb_program(0);
  (void)tb_send(&t, set);
  const sb_message *ack = tb_last(&t, SB_TYPE_ACK);
  CHECK(ack != NULL && ack->u.ack.echo_kind == SB_ECHO_PROGRAM);
  if (ack != NULL) CHECK(memcmp(&ack->u.ack.program, &set.u.program, sizeof set.u.program) == 0);
  /* The nack-outOfRange vector: amplitude 90 000 above the board's 80 000 (acupuncture-like). */
  set.u.program.mode = SB_MODE_ACUPUNCTURE_LIKE;
  set.u.program.frequency_decihz = 20;
  set.u.program.pulse_width_us = 250;
  set.u.program.amplitude_ua = 90000;
  set.u.program.ramp_up_ms = 9000;
  (void)tb_send(&t, set);
  expect_nack(&t, SB_NACK_OUT_OF_RANGE, SB_FIELD_AMPLITUDE_UA, 90000, 80000);
  set.u.program = tb_program(2); /* the board has channels 0 and 1 */
  (void)tb_send(&t, set);
  expect_nack(&t, SB_NACK_BAD_CHANNEL, SB_FIELD_CHANNEL, 2, 1);
  /* The refused programs did not replace the stored one. */
  CHECK(memcmp(&t.board.channels[0].stored, &ack->u.ack.program, sizeof(sb_program)) == 0);
}

static void start_checks_in_order(void) {
  test_board t;
  tb_init(&t, true);
  sb_message start = {.type = SB_TYPE_START};
  start.u.channel = 5;
  (void)tb_send(&t, start);
  expect_nack(&t, SB_NACK_BAD_CHANNEL, SB_FIELD_CHANNEL, 5, 1);
  start.u.channel = 0;
  (void)tb_send(&t, start);
  expect_nack(&t, SB_NACK_NO_PROGRAM, SB_FIELD_CHANNEL, 0, 0);
  tb_start(&t, 0, tb_program(0));
  CHECK_EQ(sb_board_channel_state(&t.board, 0, t.now_ms), SB_STATE_RAMPING_UP);
  (void)tb_send(&t, start);
  expect_nack(&t, SB_NACK_BUSY, SB_FIELD_CHANNEL, 0, 0);
  sb_message set = {.type = SB_TYPE_SET_PROGRAM};
  set.u.program = tb_program(0);
  (void)tb_send(&t, set);
  expect_nack(&t, SB_NACK_BUSY, SB_FIELD_CHANNEL, 0, 0);
}

/* Output starts at 0 and rises linearly over rampUpMs, holds, and falls to 0 exactly at durationMs. */
static void ramps_and_max_duration_stop(void) {
  test_board t;
  tb_init(&t, true);
  const uint32_t t0 = t.now_ms;
  tb_start(&t, 0, tb_program(0));
  CHECK_EQ(sb_board_channel_level_ua(&t.board, 0, t0), 0);
  uint32_t previous = 0;
  bool rise_within_slew = true;
  for (uint32_t ms = 1; ms <= 2000; ms++) {
    /* Feed the watchdog as a host would. */
    if (ms % 100u == 0u) (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
    tb_run_to(&t, t0 + ms);
    const uint32_t level = t.fake.output[0].amplitude_ua;
    if (level > previous + 10u) rise_within_slew = false; /* 10 mA/s = 10 µA per ms */
    previous = level;
  }
  CHECK(rise_within_slew);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 20000);
  CHECK_EQ(sb_board_channel_state(&t.board, 0, t.now_ms), SB_STATE_HOLDING);
  for (uint32_t ms = 2000; ms < 10000; ms += 100) {
    (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
    tb_run_to(&t, t0 + ms + 100);
    if (ms + 100 == 9500) CHECK_EQ(t.fake.output[0].amplitude_ua, 10000); /* half-way down */
  }
  CHECK_EQ(t.now_ms, t0 + 10000);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
  CHECK_EQ(sb_board_channel_state(&t.board, 0, t.now_ms), SB_STATE_IDLE);
  CHECK(!t.board.channels[0].running);
  const sb_message *status = tb_last(&t, SB_TYPE_STATUS);
  CHECK(status != NULL && status->u.status.channels[0].state == SB_STATE_IDLE);
  CHECK_EQ(t.board.fault, SB_FAULT_NONE); /* the maximum-duration stop is a normal end */
}

/* SET_AMPLITUDE: a decrease reaches the output in the receive path; an increase is slewed. */
static void set_amplitude_decrease_at_once_rise_slewed(void) {
  test_board t;
  tb_init(&t, true);
  const uint32_t t0 = t.now_ms;
  tb_start(&t, 0, tb_program(0));
  for (uint32_t ms = 100; ms <= 2100; ms += 100) {
    (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
    tb_run_to(&t, t0 + ms);
  }
  CHECK_EQ(t.fake.output[0].amplitude_ua, 20000);
  sb_message amp = {.type = SB_TYPE_SET_AMPLITUDE};
  amp.u.amplitude.channel = 0;
  amp.u.amplitude.amplitude_ua = 5000;
  (void)tb_send(&t, amp);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 5000); /* no tick in between */
  const sb_message *ack = tb_last(&t, SB_TYPE_ACK);
  CHECK(ack != NULL && ack->u.ack.echo_kind == SB_ECHO_AMPLITUDE && ack->u.ack.amplitude.amplitude_ua == 5000);
  amp.u.amplitude.amplitude_ua = 15000;
  (void)tb_send(&t, amp);
  const uint32_t t1 = t.now_ms;
  tb_run_to(&t, t1 + 100);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 6000); /* 100 ms at 10 mA/s */
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
  tb_run_to(&t, t1 + 400);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
  tb_run_to(&t, t1 + 700);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
  tb_run_to(&t, t1 + 1000);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 15000);
  /* Out of limits: NACK, and the running output is unchanged. */
  amp.u.amplitude.amplitude_ua = 60001;
  (void)tb_send(&t, amp);
  expect_nack(&t, SB_NACK_OUT_OF_RANGE, SB_FIELD_AMPLITUDE_UA, 60001, 60000);
  tb_run_to(&t, t.now_ms + 50);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 15000);
  CHECK_EQ(t.board.channels[0].target_ua, 15000);
  amp.u.amplitude.channel = 1;
  (void)tb_send(&t, amp);
  expect_nack(&t, SB_NACK_BAD_STATE, SB_FIELD_CHANNEL, 1, 0);
}

/* STOP ramps down from the present level over rampDownMs; STOP of an idle channel is accepted. */
static void stop_ramps_down_from_present_level(void) {
  test_board t;
  tb_init(&t, true);
  const uint32_t t0 = t.now_ms;
  tb_start(&t, 0, tb_program(0));
  tb_run_to(&t, t0 + 400);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
  tb_run_to(&t, t0 + 500);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 5000);
  sb_message stop = {.type = SB_TYPE_STOP};
  stop.u.channel = SB_ALL_CHANNELS;
  (void)tb_send(&t, stop);
  CHECK_EQ(sb_board_channel_state(&t.board, 0, t.now_ms), SB_STATE_RAMPING_DOWN);
  tb_run_to(&t, t0 + 800);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
  tb_run_to(&t, t0 + 1000);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 2500);
  tb_run_to(&t, t0 + 1500);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
  CHECK_EQ(sb_board_channel_state(&t.board, 0, t.now_ms), SB_STATE_IDLE);
  stop.u.channel = 1;
  (void)tb_send(&t, stop);
  CHECK(tb_last(&t, SB_TYPE_ACK) != NULL && tb_last(&t, SB_TYPE_ACK)->u.ack.acked_type == SB_TYPE_STOP);
}

/* A STOP 500 ms before the end with a 1 s ramp-down: the ramp is shortened so the output is 0 at
 * durationMs (a normal end, not the session timer's fault). */
static void stop_near_the_end_finishes_within_the_session(void) {
  test_board t;
  tb_init(&t, true);
  const uint32_t t0 = t.now_ms;
  tb_start(&t, 0, tb_program(0)); /* 10 s, ramp-down 1 s */
  /* Let the plan's own ramp-down start late (at 9.9 s), so a STOP at 9.5 s meets a holding channel. */
  t.board.channels[0].down_at_rel_ms = 9900;
  t.board.channels[0].down_from_ua = 20000;
  for (uint32_t ms = 100; ms <= 9500; ms += 100) {
    (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
    tb_run_to(&t, t0 + ms);
  }
  CHECK_EQ(sb_board_channel_state(&t.board, 0, t.now_ms), SB_STATE_HOLDING);
  sb_message stop = {.type = SB_TYPE_STOP};
  (void)tb_send(&t, stop);
  for (uint32_t ms = 9600; ms <= 10000; ms += 100) {
    (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
    tb_run_to(&t, t0 + ms);
  }
  CHECK_EQ(t.board.fault, SB_FAULT_NONE);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
  CHECK_EQ(sb_board_channel_state(&t.board, 0, t.now_ms), SB_STATE_IDLE);
}

/* TELEMETRY: 100 samples per frame at 1 kHz, never above the commanded amplitude, one trailing batch
 * after the channel goes idle. */
static void telemetry_batches_within_limits(void) {
  test_board t;
  tb_init(&t, true);
  const uint32_t t0 = t.now_ms;
  sb_program p = tb_program(1);
  p.duration_ms = 3000;
  tb_start(&t, 1, p);
  for (uint32_t ms = 100; ms <= 3400; ms += 100) {
    (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
    tb_run_to(&t, t0 + ms);
  }
  size_t frames = 0, samples = 0;
  bool within = true, trailing_zero = false;
  for (size_t i = 0; i < t.fake.count; i++) {
    const sb_message *m = &t.fake.messages[i];
    if (m->type != SB_TYPE_TELEMETRY) continue;
    CHECK_EQ(m->u.telemetry.channel, 1);
    CHECK(m->u.telemetry.sample_count <= 100);
    frames++;
    for (size_t s = 0; s < m->u.telemetry.sample_count; s++) {
      sb_sample x;
      (void)sb_telemetry_sample(m, s, &x);
      if (x.current_ua < 0 || x.current_ua > 20000) within = false;
      samples++;
      trailing_zero = x.current_ua == 0;
    }
  }
  CHECK(within);
  CHECK(trailing_zero);
  CHECK(frames >= 30 && frames <= 32);
  CHECK(samples >= 3000 && samples <= 3200);
}

/* Burst: pulses only inside each train; modulated: the rate sweeps low → high → low. */
static void burst_and_sweep_pulse_rates(void) {
  test_board t;
  tb_init(&t, true);
  sb_program p = tb_program(0);
  p.mode = SB_MODE_BURST;
  p.frequency_decihz = 20;          /* a burst every 500 ms */
  p.burst_pulses = 7;
  p.burst_frequency_decihz = 1000;  /* at 100 Hz: a 70 ms train */
  p.pulse_width_us = 200;
  const uint32_t t0 = t.now_ms;
  tb_start(&t, 0, p);
  tb_run_to(&t, t0 + 69);
  CHECK_EQ(t.fake.output[0].pulse_rate_decihz, 1000);
  tb_run_to(&t, t0 + 70);
  CHECK_EQ(t.fake.output[0].pulse_rate_decihz, 0);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
  tb_run_to(&t, t0 + 499);
  CHECK_EQ(t.fake.output[0].pulse_rate_decihz, 0);
  tb_run_to(&t, t0 + 500);
  CHECK_EQ(t.fake.output[0].pulse_rate_decihz, 1000);

  tb_init(&t, true);
  p = tb_program(0);
  p.mode = SB_MODE_MODULATED;
  p.frequency_decihz = 20;
  p.sweep_high_decihz = 1000;
  p.sweep_period_ms = 10000;
  p.duration_ms = 20000;
  const uint32_t t1 = t.now_ms;
  tb_start(&t, 0, p);
  tb_run_to(&t, t1 + 1);
  CHECK_EQ(t.fake.output[0].pulse_rate_decihz, 20);
  for (uint32_t ms = 100; ms <= 5000; ms += 100) {
    (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
    tb_run_to(&t, t1 + ms);
  }
  CHECK_EQ(t.fake.output[0].pulse_rate_decihz, 1000);
  for (uint32_t ms = 5100; ms <= 7500; ms += 100) {
    (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
    tb_run_to(&t, t1 + ms);
  }
  CHECK_EQ(t.fake.output[0].pulse_rate_decihz, 510); /* half-way back down: (20 + 1000) / 2 */
}

/* Frames the board cannot use but can name: badLength, badEnum, unsupportedVersion, board types. */
static void unusable_frames_are_nacked_with_their_seq(void) {
  test_board t;
  tb_init(&t, true);
  /* A START with a 2-byte body: build it by hand (the encoder only makes valid bodies). */
  uint8_t raw[16] = {1, SB_TYPE_START, 0x34, 0x12, 0, 0};
  uint32_t crc = sb_crc32c(raw, 6);
  raw[6] = (uint8_t)crc; raw[7] = (uint8_t)(crc >> 8); raw[8] = (uint8_t)(crc >> 16); raw[9] = (uint8_t)(crc >> 24);
  uint8_t wire[24];
  size_t n = 0;
  (void)sb_cobs_encode(raw, 10, wire, sizeof wire, &n);
  wire[n++] = 0;
  (void)sb_board_receive(&t.board, wire, n, t.now_ms);
  const sb_message *nack = expect_nack(&t, SB_NACK_BAD_LENGTH, SB_FIELD_NONE, 2, 1);
  if (nack != NULL) CHECK_EQ(nack->u.nack.reply_to, 0x1234);
  /* A SET_PROGRAM with mode 9. */
  uint8_t prog[4 + 32 + 4] = {1, SB_TYPE_SET_PROGRAM, 7, 0};
  prog[5] = 9;
  crc = sb_crc32c(prog, 36);
  prog[36] = (uint8_t)crc; prog[37] = (uint8_t)(crc >> 8); prog[38] = (uint8_t)(crc >> 16); prog[39] = (uint8_t)(crc >> 24);
  uint8_t wire2[48];
  (void)sb_cobs_encode(prog, 40, wire2, sizeof wire2, &n);
  wire2[n++] = 0;
  (void)sb_board_receive(&t.board, wire2, n, t.now_ms);
  expect_nack(&t, SB_NACK_BAD_ENUM, SB_FIELD_MODE, 9, SB_MODE_COUNT - 1u);
  /* Header version 2. */
  raw[0] = 2;
  raw[4] = 0;
  crc = sb_crc32c(raw, 5);
  raw[5] = (uint8_t)crc; raw[6] = (uint8_t)(crc >> 8); raw[7] = (uint8_t)(crc >> 16); raw[8] = (uint8_t)(crc >> 24);
  (void)sb_cobs_encode(raw, 9, wire, sizeof wire, &n);
  wire[n++] = 0;
  (void)sb_board_receive(&t.board, wire, n, t.now_ms);
  expect_nack(&t, SB_NACK_UNSUPPORTED_VERSION, SB_FIELD_VERSION, 2, 1);
  /* A board → host type. */
  sb_message fault = {.type = SB_TYPE_FAULT};
  fault.u.fault.code = SB_FAULT_ESTOP;
  (void)tb_send(&t, fault);
  expect_nack(&t, SB_NACK_BAD_ENUM, SB_FIELD_NONE, SB_TYPE_FAULT, 0);
}

/* No global state: two boards run side by side without touching each other. */
static void two_boards_are_independent(void) {
  static test_board a, b;
  tb_init(&a, true);
  tb_init(&b, true);
  tb_start(&a, 0, tb_program(0));
  (void)tb_send(&b, (sb_message){.type = SB_TYPE_ESTOP});
  tb_run_to(&a, a.now_ms + 50);
  CHECK(a.fake.output[0].amplitude_ua > 0);
  CHECK_EQ(a.board.fault, SB_FAULT_NONE);
  CHECK_EQ(b.board.fault, SB_FAULT_ESTOP);
}

void sb_tests_board(void) {
  RUN(hello_required_before_anything_but_hello_and_estop);
  RUN(hello_negotiates_and_info_reports_caps);
  RUN(set_program_echoes_and_refuses_with_vector_fields);
  RUN(start_checks_in_order);
  RUN(ramps_and_max_duration_stop);
  RUN(set_amplitude_decrease_at_once_rise_slewed);
  RUN(stop_ramps_down_from_present_level);
  RUN(stop_near_the_end_finishes_within_the_session);
  RUN(telemetry_batches_within_limits);
  RUN(burst_and_sweep_pulse_rates);
  RUN(unusable_frames_are_nacked_with_their_seq);
  RUN(two_boards_are_independent);
}
