/* libFuzzer target: arbitrary bytes into a board's receive path (receiver + dispatcher), interleaved
 * with ticks. Besides the sanitizers, it asserts the safety invariants after every step: no channel's
 * output above the board's amplitude cap, and nothing but 0 on any channel while a fault is latched. */
#include <stdlib.h>
#include <string.h>

#include "sb_fake_hal.h"

static fake_hal fake;

static void check_invariants(const sb_board *b) {
  for (uint8_t c = 0; c < b->config.caps.channel_count; c++) {
    if (fake.output[c].amplitude_ua > b->config.caps.max_amplitude_ua) abort();
    if (b->fault != SB_FAULT_NONE && fake.output[c].amplitude_ua != 0u) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static sb_board board;
  sb_hal hal;
  fake_hal_init(&fake, &hal);
  fake.decode = false;
  sb_board_config config;
  sb_board_default_config(&config);
  uint32_t now_ms = 1000;
  if (sb_board_init(&board, &config, &hal, SB_BOOT_COLD, now_ms) != SB_OK) abort();
  /* Say HELLO first half of the time (chosen by the first byte), so the fuzzer reaches the handlers. */
  if (size > 0 && (data[0] & 1u)) {
    static const uint8_t hello[] = {0x04, 0x01, 0x01, 0x01, 0x07, 0x01, 0x01, 0xf3, 0xc9, 0x87, 0xbc, 0x00};
    (void)sb_board_receive(&board, hello, sizeof hello, now_ms);
  }
  /* Deliver the input in chunks; after each delimiter, let 1 … 16 ms pass (from the next byte). */
  size_t start = 0;
  for (size_t i = 0; i < size; i++) {
    if (data[i] != 0x00 && i + 1 != size) continue;
    (void)sb_board_receive(&board, data + start, i + 1 - start, now_ms);
    check_invariants(&board);
    const uint32_t steps = i + 1 < size ? (uint32_t)(data[i + 1] & 0x0Fu) + 1u : 1u;
    for (uint32_t s = 0; s < steps; s++) {
      now_ms++;
      (void)sb_board_tick(&board, now_ms);
      check_invariants(&board);
    }
    start = i + 1;
  }
  return 0;
}
