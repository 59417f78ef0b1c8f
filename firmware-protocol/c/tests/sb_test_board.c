#include <string.h>

#include "sb_test_board.h"

void tb_init(test_board *t, bool hello) {
  memset(t, 0, sizeof *t);
  fake_hal_init(&t->fake, &t->hal);
  sb_board_config config;
  sb_board_default_config(&config);
  t->now_ms = 1000;
  t->host_seq = 1;
  (void)sb_board_init(&t->board, &config, &t->hal, SB_BOOT_COLD, t->now_ms);
  if (hello) {
    sb_message m = {.type = SB_TYPE_HELLO};
    m.u.hello.min_version = 1;
    m.u.hello.max_version = 1;
    (void)tb_send(t, m);
  }
  fake_hal_clear(&t->fake);
}

uint16_t tb_send(test_board *t, sb_message m) {
  uint8_t wire[SB_MAX_WIRE_BYTES];
  size_t length = 0;
  m.seq = t->host_seq++;
  if (sb_encode_frame(&m, SB_PROTOCOL_VERSION, wire, sizeof wire, &length) != SB_OK) return 0;
  (void)sb_board_receive(&t->board, wire, length, t->now_ms);
  return m.seq;
}

void tb_run_to(test_board *t, uint32_t until_ms) {
  while (t->now_ms < until_ms) {
    t->now_ms++;
    (void)sb_board_tick(&t->board, t->now_ms);
  }
}

const sb_message *tb_last(const test_board *t, uint8_t type) {
  for (size_t i = t->fake.count; i > 0; i--) {
    if (t->fake.messages[i - 1].type == type) return &t->fake.messages[i - 1];
  }
  return NULL;
}

size_t tb_count(const test_board *t, uint8_t type) {
  size_t n = 0;
  for (size_t i = 0; i < t->fake.count; i++) n += t->fake.messages[i].type == type;
  return n;
}

sb_program tb_program(uint8_t channel) {
  sb_program p = {0};
  p.channel = channel;
  p.mode = SB_MODE_CONVENTIONAL;
  p.frequency_decihz = 1000;
  p.pulse_width_us = 200;
  p.amplitude_ua = 20000;
  p.duration_ms = 10000;
  p.ramp_up_ms = 2000;
  p.ramp_down_ms = 1000;
  return p;
}

void tb_start(test_board *t, uint8_t channel, sb_program p) {
  sb_message set = {.type = SB_TYPE_SET_PROGRAM};
  set.u.program = p;
  (void)tb_send(t, set);
  sb_message start = {.type = SB_TYPE_START};
  start.u.channel = channel;
  (void)tb_send(t, start);
}
