/* The host port's simulated output stage: per-channel resistive loads behind the compliance voltage,
 * injectable faults (electrode off, corrupted bytes) and the byte sink the board sends to. */
#ifndef HOST_HAL_H
#define HOST_HAL_H

#include "sb_board.h"

/* An electrode that came off reads like this (≥ 1 MΩ: the board's electrode-off threshold). */
#define HOST_ELECTRODE_OFF_OHM 2000000u

typedef struct host_hal {
  sb_output output[SB_MAX_CHANNELS];
  uint32_t load_ohm[SB_MAX_CHANNELS];
  bool electrode_off[SB_MAX_CHANNELS];
  uint32_t compliance_mv;
  uint32_t corrupt_ppm;     /* chance per outgoing byte of one flipped bit, per million */
  uint32_t rng;             /* xorshift32 state, from the seed */
  int out_fd;               /* where frames go; -1 = nowhere (no client) */
  uint64_t bytes_out, bytes_dropped, bytes_corrupted;
  bool frozen;              /* the firmware hangs: it sends nothing */
} host_hal;

void host_hal_init(host_hal *h, sb_hal *hal, uint32_t load_ohm, uint32_t compliance_mv, uint32_t seed);

#endif /* HOST_HAL_H */
