/* Stop paths and latched faults: ESTOP, watchdog, electrode off, overcurrent, duration, reset
 * (PROTOCOL.md § 6.7, § 12.2, § 12.3). */
#include "sb_cobs.h"
#include "sb_crc.h"
#include "sb_test.h"
#include "sb_test_board.h"

static void heartbeat_until(test_board *t, uint32_t until_ms) {
  while (t->now_ms + 100u <= until_ms) {
    (void)tb_send(t, (sb_message){.type = SB_TYPE_HEARTBEAT});
    tb_run_to(t, t->now_ms + 100u);
  }
  tb_run_to(t, until_ms);
}

/* ESTOP zeroes every channel inside sb_board_receive, before its ACK goes out; ACK, FAULT, STATUS. */
static void estop_zeroes_all_channels_in_the_receive_path(void) {
  test_board t;
  tb_init(&t, true);
  tb_start(&t, 0, tb_program(0));
  tb_start(&t, 1, tb_program(1));
  heartbeat_until(&t, t.now_ms + 1500);
  CHECK(t.fake.output[0].amplitude_ua > 0 && t.fake.output[1].amplitude_ua > 0);
  fake_hal_clear(&t.fake);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_ESTOP});
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
  CHECK_EQ(t.fake.output[1].amplitude_ua, 0);
  CHECK_EQ(t.fake.count, 3);
  CHECK_EQ(t.fake.messages[0].type, SB_TYPE_ACK);
  CHECK_EQ(t.fake.messages[1].type, SB_TYPE_FAULT);
  CHECK_EQ(t.fake.messages[1].u.fault.code, SB_FAULT_ESTOP);
  CHECK_EQ(t.fake.messages[1].u.fault.channel, SB_ALL_CHANNELS);
  CHECK_EQ(t.fake.messages[2].type, SB_TYPE_STATUS);
  CHECK_EQ(t.fake.amplitude_at_send[0][0], 0); /* already 0 when the ACK was sent */
  CHECK_EQ(t.fake.amplitude_at_send[0][1], 0);
}

/* The latch: START refused faultLatched until CLEAR_FAULT; CLEAR_FAULT never restarts anything. */
static void estop_latches_until_clear_fault(void) {
  test_board t;
  tb_init(&t, true);
  tb_start(&t, 0, tb_program(0));
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_ESTOP});
  sb_message start = {.type = SB_TYPE_START};
  (void)tb_send(&t, start);
  const sb_message *n = tb_last(&t, SB_TYPE_NACK);
  CHECK(n != NULL && n->u.nack.code == SB_NACK_FAULT_LATCHED && n->u.nack.value == SB_FAULT_ESTOP);
  sb_message amp = {.type = SB_TYPE_SET_AMPLITUDE};
  amp.u.amplitude.amplitude_ua = 1000;
  (void)tb_send(&t, amp);
  CHECK(tb_last(&t, SB_TYPE_NACK)->u.nack.code == SB_NACK_BAD_STATE);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_CLEAR_FAULT});
  CHECK_EQ(t.board.fault, SB_FAULT_NONE);
  heartbeat_until(&t, t.now_ms + 300);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
  CHECK_EQ(sb_board_channel_state(&t.board, 0, t.now_ms), SB_STATE_IDLE);
  (void)tb_send(&t, start);
  CHECK_EQ(sb_board_channel_state(&t.board, 0, t.now_ms), SB_STATE_RAMPING_UP);
  CHECK_EQ(sb_board_channel_level_ua(&t.board, 0, t.now_ms), 0); /* a new START begins at 0 */
}

/* Watchdog: trips exactly watchdogMs after the last valid frame, not before; corrupt frames do not
 * feed it. */
static void watchdog_trips_at_500_ms_not_fed_by_corrupt_frames(void) {
  test_board t;
  tb_init(&t, true);
  tb_start(&t, 0, tb_program(0));
  const uint32_t last_valid = t.now_ms;
  /* A HEARTBEAT with one CRC bit flipped (malformed.json bad-crc) every 100 ms. */
  const uint8_t corrupt[] = {0x04, 0x01, 0x09, 0x1a, 0x05, 0x12, 0x4f, 0xa6, 0x8d, 0x00};
  for (uint32_t ms = 1; ms < 500; ms++) {
    if (ms % 100u == 0u) (void)sb_board_receive(&t.board, corrupt, sizeof corrupt, t.now_ms);
    tb_run_to(&t, last_valid + ms);
  }
  CHECK_EQ(t.board.fault, SB_FAULT_NONE);
  CHECK(t.fake.output[0].amplitude_ua > 0);
  tb_run_to(&t, last_valid + 500);
  CHECK_EQ(t.board.fault, SB_FAULT_WATCHDOG);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
  const sb_message *f = tb_last(&t, SB_TYPE_FAULT);
  CHECK(f != NULL && f->u.fault.code == SB_FAULT_WATCHDOG && f->u.fault.detail == 500);
  CHECK_EQ(t.board.rx.drops[SB_DROP_CRC], 4);
  CHECK_EQ(t.board.stats.watchdog_trips, 1);
  /* Once per silence: no second trip without a new frame. */
  tb_run_to(&t, t.now_ms + 2000);
  CHECK_EQ(t.board.stats.watchdog_trips, 1);
}

/* A port catching up on ticks may tick an instant just before the last frame: that is not silence. */
static void watchdog_ignores_ticks_from_before_the_last_frame(void) {
  test_board t;
  tb_init(&t, true);
  const uint32_t frame_at = t.now_ms + 10u;
  t.now_ms = frame_at;
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_HEARTBEAT});
  (void)sb_board_tick(&t.board, frame_at - 3u);
  CHECK_EQ(t.board.fault, SB_FAULT_NONE);
  CHECK_EQ(tb_count(&t, SB_TYPE_FAULT), 0);
}

/* The watchdog is armed by HELLO, not before. */
static void watchdog_not_armed_before_hello(void) {
  test_board t;
  tb_init(&t, false);
  tb_run_to(&t, t.now_ms + 5000);
  CHECK_EQ(t.board.fault, SB_FAULT_NONE);
  CHECK_EQ(tb_count(&t, SB_TYPE_FAULT), 0);
}

/* Electrode lifted while running: electrodeOff latched with the measured impedance, output 0. */
static void electrode_off_faults_with_impedance(void) {
  test_board t;
  tb_init(&t, true);
  tb_start(&t, 0, tb_program(0));
  heartbeat_until(&t, t.now_ms + 500);
  t.fake.load_ohm[0] = 2000000;
  tb_run_to(&t, t.now_ms + 1);
  CHECK_EQ(t.board.fault, SB_FAULT_ELECTRODE_OFF);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
  const sb_message *f = tb_last(&t, SB_TYPE_FAULT);
  CHECK(f != NULL && f->u.fault.channel == 0 && f->u.fault.detail >= 1000000u);
}

/* START measures the electrode first: refused impedanceFail at ≥ 5 kΩ; MEASURE_IMPEDANCE reports it. */
static void impedance_check_before_start(void) {
  test_board t;
  tb_init(&t, true);
  t.fake.load_ohm[1] = 6000;
  sb_message measure = {.type = SB_TYPE_MEASURE_IMPEDANCE};
  measure.u.channel = 1;
  (void)tb_send(&t, measure);
  const sb_message *z = tb_last(&t, SB_TYPE_IMPEDANCE);
  CHECK(z != NULL && z->u.impedance.impedance_ohm == 6000 && z->u.impedance.ok == 0);
  tb_start(&t, 1, tb_program(1));
  const sb_message *n = tb_last(&t, SB_TYPE_NACK);
  CHECK(n != NULL && n->u.nack.code == SB_NACK_IMPEDANCE_FAIL && n->u.nack.value == 6000 && n->u.nack.bound == 5000);
  CHECK_EQ(t.fake.output[1].amplitude_ua, 0);
  t.fake.load_ohm[1] = 4999;
  sb_message start = {.type = SB_TYPE_START};
  start.u.channel = 1;
  (void)tb_send(&t, start);
  CHECK_EQ(sb_board_channel_state(&t.board, 1, t.now_ms), SB_STATE_RAMPING_UP);
}

/* More current than commanded: overcurrent latched, output 0. */
static void overcurrent_faults(void) {
  test_board t;
  tb_init(&t, true);
  tb_start(&t, 0, tb_program(0));
  heartbeat_until(&t, t.now_ms + 1000);
  t.fake.current_permille = 1500;
  tb_run_to(&t, t.now_ms + 1);
  CHECK_EQ(t.board.fault, SB_FAULT_OVERCURRENT);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
}

/* The independent session timer: output still on at durationMs (here: a corrupted plan) is a fault. */
static void duration_exceeded_is_independent_of_the_plan(void) {
  test_board t;
  tb_init(&t, true);
  tb_start(&t, 0, tb_program(0));
  t.board.channels[0].down_at_rel_ms = 0xFFFFFFF0u; /* as if the plan had been corrupted */
  t.board.channels[0].down_end_rel_ms = 0xFFFFFFFFu;
  heartbeat_until(&t, t.now_ms + 9999);
  CHECK_EQ(t.board.fault, SB_FAULT_NONE);
  heartbeat_until(&t, t.now_ms + 1);
  CHECK_EQ(t.board.fault, SB_FAULT_DURATION_EXCEEDED);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
}

/* A reset forgets HELLO and programs, latches `reset`, and sends FAULT then STATUS (helloDone 0). */
static void reset_latches_and_forgets(void) {
  test_board t;
  tb_init(&t, true);
  tb_start(&t, 0, tb_program(0));
  heartbeat_until(&t, t.now_ms + 300);
  fake_hal_clear(&t.fake);
  (void)sb_board_reset(&t.board, t.now_ms);
  CHECK_EQ(t.fake.output[0].amplitude_ua, 0);
  CHECK_EQ(t.fake.count, 2);
  CHECK(t.fake.messages[0].type == SB_TYPE_FAULT && t.fake.messages[0].u.fault.code == SB_FAULT_RESET);
  CHECK(t.fake.messages[1].type == SB_TYPE_STATUS && t.fake.messages[1].u.status.hello_done == 0);
  CHECK_EQ(t.fake.messages[0].seq, 1); /* board seq restarts at 1 */
  sb_message start = {.type = SB_TYPE_START};
  (void)tb_send(&t, start);
  CHECK(tb_last(&t, SB_TYPE_NACK)->u.nack.code == SB_NACK_HELLO_REQUIRED);
  sb_message hello = {.type = SB_TYPE_HELLO};
  hello.u.hello.min_version = 1;
  hello.u.hello.max_version = 1;
  (void)tb_send(&t, hello);
  (void)tb_send(&t, start);
  CHECK(tb_last(&t, SB_TYPE_NACK)->u.nack.code == SB_NACK_FAULT_LATCHED);
  (void)tb_send(&t, (sb_message){.type = SB_TYPE_CLEAR_FAULT});
  (void)tb_send(&t, start);
  CHECK(tb_last(&t, SB_TYPE_NACK)->u.nack.code == SB_NACK_NO_PROGRAM); /* programs were lost */
}

void sb_tests_faults(void) {
  RUN(estop_zeroes_all_channels_in_the_receive_path);
  RUN(estop_latches_until_clear_fault);
  RUN(watchdog_trips_at_500_ms_not_fed_by_corrupt_frames);
  RUN(watchdog_ignores_ticks_from_before_the_last_frame);
  RUN(watchdog_not_armed_before_hello);
  RUN(electrode_off_faults_with_impedance);
  RUN(impedance_check_before_start);
  RUN(overcurrent_faults);
  RUN(duration_exceeded_is_independent_of_the_plan);
  RUN(reset_latches_and_forgets);
}
