/* COBS encode and decode (see sb_cobs.h). */
#include "sb_cobs.h"

sb_rc sb_cobs_encode(const uint8_t *src, size_t src_length, uint8_t *dst, size_t dst_capacity, size_t *encoded_length) {
  if (src == NULL || dst == NULL || encoded_length == NULL) return SB_ERR_ARG;
  if (dst_capacity < SB_COBS_MAX_ENCODED(src_length)) return SB_ERR_SPACE;
  size_t code_index = 0;
  size_t out = 1;
  uint8_t code = 1;
  for (size_t i = 0; i < src_length; i++) {
    uint8_t b = src[i]; /* read before writing: dst may trail src (in-place encoding) */
    if (b == 0) {
      dst[code_index] = code;
      code_index = out++;
      code = 1;
    } else {
      dst[out++] = b;
      code++;
      if (code == 0xFFu) {
        dst[code_index] = code;
        code = 1;
        /* A full block that ends the input is not followed by another code byte (canonical COBS). */
        if (i + 1 == src_length) {
          *encoded_length = out;
          return SB_OK;
        }
        code_index = out++;
      }
    }
  }
  dst[code_index] = code;
  *encoded_length = out;
  return SB_OK;
}

sb_rc sb_cobs_decode(const uint8_t *src, size_t src_length, uint8_t *dst, size_t dst_capacity, size_t *decoded_length) {
  if (src == NULL || dst == NULL || decoded_length == NULL) return SB_ERR_ARG;
  size_t out = 0;
  size_t i = 0;
  while (i < src_length) {
    uint8_t code = src[i];
    if (code == 0) return SB_ERR_COBS;
    size_t block_end = i + code;
    if (block_end > src_length) return SB_ERR_COBS;
    for (size_t j = i + 1; j < block_end; j++) {
      if (src[j] == 0) return SB_ERR_COBS;
      if (out >= dst_capacity) return SB_ERR_SPACE;
      dst[out++] = src[j];
    }
    i = block_end;
    /* A block shorter than 0xFF stands for its data plus a zero, except at the very end. */
    if (code != 0xFFu && i < src_length) {
      if (out >= dst_capacity) return SB_ERR_SPACE;
      dst[out++] = 0;
    }
  }
  *decoded_length = out;
  return SB_OK;
}
