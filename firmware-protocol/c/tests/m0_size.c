/* A minimal Cortex-M0+ program around one two-channel board, linked only to measure what the core
 * costs in flash and RAM (make size). The "hardware" is three volatile registers. */
#include "sb_board.h"

static volatile uint32_t dac_ua[SB_MAX_CHANNELS];
static volatile uint32_t uart_data;
static volatile uint32_t systick_ms;

static void set_output(void *context, uint8_t channel, const sb_output *output) {
  (void)context;
  dac_ua[channel] = output->amplitude_ua;
}
static void read_load(void *context, uint8_t channel, uint32_t test_ua, int32_t *voltage_mv, int32_t *current_ua) {
  (void)context;
  const uint32_t current = test_ua > 0u ? test_ua : dac_ua[channel];
  *current_ua = (int32_t)current;
  *voltage_mv = (int32_t)(current / 1000u);
}
static void send(void *context, const uint8_t *bytes, size_t length) {
  (void)context;
  for (size_t i = 0; i < length; i++) uart_data = bytes[i];
}

static sb_board board;

int main(void) {
  const sb_hal hal = {NULL, set_output, read_load, send};
  sb_board_config config;
  sb_board_default_config(&config);
  (void)sb_board_init(&board, &config, &hal, SB_BOOT_COLD, systick_ms);
  uint32_t last = systick_ms;
  for (;;) {
    const uint8_t byte = (uint8_t)uart_data;
    (void)sb_board_receive(&board, &byte, 1, systick_ms);
    if (systick_ms != last) (void)sb_board_tick(&board, ++last);
  }
}
