/* Consistent Overhead Byte Stuffing (Cheshire & Baker 1999), canonical form of PROTOCOL.md § 2: a 0xFF
 * block that ends the input is not followed by an extra 0x01 code byte. No delimiter is added or
 * expected here; the frame encoder adds the trailing 0x00. */
#ifndef SB_COBS_H
#define SB_COBS_H

#include "sb_types.h"

/* Largest encoding of `n` bytes: one code byte per 254 data bytes, plus one. */
#define SB_COBS_MAX_ENCODED(n) ((n) + (n) / 254u + 1u)

/* Encode `src[0, src_length)` into `dst` (capacity `dst_capacity`), writing *encoded_length bytes.
 * `dst` may overlap `src` if dst + SB_COBS_MAX_ENCODED(src_length) - src_length <= src (the frame encoder
 * encodes in place that way).
 * Failures: SB_ERR_ARG (NULL pointer), SB_ERR_SPACE (dst_capacity < SB_COBS_MAX_ENCODED(src_length)). */
sb_rc sb_cobs_encode(const uint8_t *src, size_t src_length, uint8_t *dst, size_t dst_capacity, size_t *encoded_length);

/* Decode `src[0, src_length)` (no delimiter) into `dst`, writing *decoded_length bytes.
 * Failures: SB_ERR_ARG (NULL pointer), SB_ERR_COBS (a 0x00 inside or a code byte pointing past the end),
 * SB_ERR_SPACE (dst_capacity too small). */
sb_rc sb_cobs_decode(const uint8_t *src, size_t src_length, uint8_t *dst, size_t dst_capacity, size_t *decoded_length);

#endif /* SB_COBS_H */
