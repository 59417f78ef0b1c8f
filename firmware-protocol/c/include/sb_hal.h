/* The hardware abstraction a port implements: three functions and a context pointer. Time is not a
 * callback: the port passes its monotonic millisecond clock into sb_board_receive and sb_board_tick.
 * See PORTING.md for timing requirements. */
#ifndef SB_HAL_H
#define SB_HAL_H

#include "sb_types.h"

/* What one channel's output stage should play from now on. amplitude_ua == 0 means off. */
typedef struct sb_output {
  uint32_t amplitude_ua;       /* peak current of the primary phase, µA */
  uint16_t pulse_width_us;     /* primary phase width, µs */
  uint8_t waveform;            /* SB_WAVEFORM_*: symmetric, or asymmetric (balancing phase 4 × as long at ¼) */
  uint16_t pulse_rate_decihz;  /* pulse rate now, 0.1 Hz; 0 = no pulses now (gap between bursts) */
} sb_output;

typedef struct sb_hal {
  void *context;
  /* Play `output` on `channel` from now on. Called from sb_board_tick (at most once per tick per
   * channel, only when something changed) and from the receive path (ESTOP, faults: amplitude 0).
   * Must take effect within one pulse; must not call back into the board. */
  void (*set_output)(void *context, uint8_t channel, const sb_output *output);
  /* Read the load of `channel`: the electrode voltage and the delivered current at the peak of the
   * primary phase. test_ua == 0: the last pulse of the running output. test_ua > 0: the channel is
   * idle; fire one charge-balanced test pulse of test_ua (SB_IMPEDANCE_TEST_PULSE_US wide) and read it.
   * A port that cannot measure current reports the commanded current. */
  void (*read_load)(void *context, uint8_t channel, uint32_t test_ua, int32_t *voltage_mv, int32_t *current_ua);
  /* Queue bytes for the host (UART, USB CDC, socket). Must not block for long and must not call back
   * into the board; bytes that cannot be queued are lost (the host sees a missing reply). */
  void (*send)(void *context, const uint8_t *bytes, size_t length);
} sb_hal;

#endif /* SB_HAL_H */
