/* A HAL for tests and the fuzzer: records every output, models each load as a resistor behind the
 * output stage's compliance voltage, and decodes what the board sends (with the C receiver at full
 * capacity, as a host would). */
#ifndef SB_FAKE_HAL_H
#define SB_FAKE_HAL_H

#include "sb_board.h"

#define FAKE_MAX_MESSAGES 512u

typedef struct fake_hal {
  sb_output output[SB_MESSAGE_MAX_STATUS_CHANNELS];
  uint32_t set_output_calls;
  uint32_t load_ohm[SB_MESSAGE_MAX_STATUS_CHANNELS];
  uint32_t compliance_mv;
  /* Measured current = commanded · current_permille / 1000 (1000: an honest output stage). */
  uint32_t current_permille;
  uint32_t test_pulses;
  bool decode; /* false: count bytes only (fuzzer) */
  size_t bytes_sent;
  sb_receiver rx;
  uint8_t rx_buffer[SB_MAX_FRAME_BYTES];
  size_t count;
  sb_message messages[FAKE_MAX_MESSAGES];
  uint8_t frames[FAKE_MAX_MESSAGES][SB_MAX_FRAME_BYTES]; /* telemetry samples point in here */
  /* Output of every channel when each message was sent (to prove ESTOP zeroes before it answers). */
  uint32_t amplitude_at_send[FAKE_MAX_MESSAGES][SB_MESSAGE_MAX_STATUS_CHANNELS];
} fake_hal;

/* Reset `fake` (1 kΩ loads, 80 V compliance) and fill `hal` with its functions. */
void fake_hal_init(fake_hal *fake, sb_hal *hal);
/* Forget the messages received so far. */
void fake_hal_clear(fake_hal *fake);

#endif /* SB_FAKE_HAL_H */
