/* A board on a fake HAL and a virtual millisecond clock, for the board and fault tests. */
#ifndef SB_TEST_BOARD_H
#define SB_TEST_BOARD_H

#include "sb_fake_hal.h"

typedef struct test_board {
  sb_board board;
  fake_hal fake;
  sb_hal hal;
  uint32_t now_ms;
  uint16_t host_seq;
} test_board;

/* Boot a default 2-channel board at t = 1000 ms (cold), optionally say HELLO and clear the messages. */
void tb_init(test_board *t, bool hello);
/* Encode and deliver a request at the current time; returns the seq used. */
uint16_t tb_send(test_board *t, sb_message m);
/* Tick once per ms up to and including `until_ms`. */
void tb_run_to(test_board *t, uint32_t until_ms);
/* The last message of `type` received since the last clear, or NULL. */
const sb_message *tb_last(const test_board *t, uint8_t type);
/* The number of messages of `type` since the last clear. */
size_t tb_count(const test_board *t, uint8_t type);
/* A valid conventional program on `channel`: 20 mA, ramp 2 s up / 1 s down, 10 s long. */
sb_program tb_program(uint8_t channel);
/* SET_PROGRAM then START on `channel`. */
void tb_start(test_board *t, uint8_t channel, sb_program p);

#endif /* SB_TEST_BOARD_H */
