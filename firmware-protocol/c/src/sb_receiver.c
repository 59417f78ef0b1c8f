/* Streaming COBS + CRC-32C receiver (see sb_receiver.h). Per byte: at most one CRC step and a store. */
#include "sb_receiver.h"
#include "sb_codec.h"
#include "sb_crc.h"

sb_rc sb_receiver_init(sb_receiver *rx, uint8_t *buffer, size_t capacity, uint8_t version) {
  if (rx == NULL || buffer == NULL || capacity < SB_HEADER_BYTES + SB_CRC_BYTES) return SB_ERR_ARG;
  *rx = (sb_receiver){0};
  rx->buffer = buffer;
  rx->capacity = capacity;
  rx->version = version;
  sb_receiver_reset(rx);
  return SB_OK;
}

static void start_frame(sb_receiver *rx) {
  rx->encoded_length = 0;
  rx->decoded_length = 0;
  rx->block_code = 0;
  rx->block_left = 0;
  rx->crc = SB_CRC32C_INIT;
}

void sb_receiver_reset(sb_receiver *rx) {
  start_frame(rx);
  rx->discarding = false;
}

/* One decoded byte: the byte four places back leaves the CRC window and enters the CRC. */
static void emit(sb_receiver *rx, uint8_t byte) {
  const size_t n = rx->decoded_length;
  if (n >= 4u) rx->crc = sb_crc32c_byte(rx->crc, rx->tail[n & 3u]);
  rx->tail[n & 3u] = byte;
  if (n < rx->capacity) rx->buffer[n] = byte;
  rx->decoded_length = n + 1u;
}

static sb_rx_event drop(sb_receiver *rx, sb_drop_reason reason, bool has_header) {
  rx->drops[reason]++;
  rx->last_drop = reason;
  rx->has_header = has_header;
  if (has_header) {
    rx->drop_version = rx->buffer[0];
    rx->drop_type = rx->buffer[1];
    rx->drop_seq = sb_get_u16(rx->buffer + 2);
    rx->drop_body_length = rx->decoded_length - SB_HEADER_BYTES - SB_CRC_BYTES;
  }
  return SB_RX_DROP;
}

/* Body checks without decoding into a struct: length for the type, enum codes. */
static bool body_ok(const sb_receiver *rx) {
  const size_t length = rx->decoded_length;
  if (length > rx->capacity) return false; /* cannot be checked: only requests fit a board's buffer */
  sb_message scratch;
  return sb_decode_frame(rx->buffer, length, &scratch) == SB_OK;
}

/* The delimiter arrived: check the frame in hand, in the order of § 2. */
static sb_rx_event finish(sb_receiver *rx) {
  if (rx->block_left > 0u) return drop(rx, SB_DROP_COBS, false);
  const size_t n = rx->decoded_length;
  if (n < SB_HEADER_BYTES + SB_CRC_BYTES || n > SB_MAX_FRAME_BYTES) return drop(rx, SB_DROP_LENGTH, false);
  /* tail holds decoded bytes n-4 … n-1 at ring positions (n-4)&3 … (n-1)&3: the little-endian CRC. */
  const uint32_t received = (uint32_t)rx->tail[(n - 4u) & 3u] | ((uint32_t)rx->tail[(n - 3u) & 3u] << 8) |
                            ((uint32_t)rx->tail[(n - 2u) & 3u] << 16) | ((uint32_t)rx->tail[(n - 1u) & 3u] << 24);
  if (sb_crc32c_final(rx->crc) != received) return drop(rx, SB_DROP_CRC, false);
  if (rx->buffer[0] != rx->version) return drop(rx, SB_DROP_VERSION, true);
  if (!sb_type_known(rx->buffer[1])) return drop(rx, SB_DROP_UNKNOWN_TYPE, true);
  if (!body_ok(rx)) return drop(rx, SB_DROP_MALFORMED, true);
  rx->frames++;
  return SB_RX_FRAME;
}

sb_rx_event sb_receiver_push(sb_receiver *rx, uint8_t byte) {
  if (byte == 0x00u) {
    sb_rx_event event = SB_RX_NONE;
    /* Nothing between two delimiters is no frame at all; an over-long frame was already counted. */
    if (!rx->discarding && rx->encoded_length > 0u) event = finish(rx);
    rx->discarding = false;
    if (event == SB_RX_FRAME) {
      /* Keep decoded_length for sb_receiver_frame_length until the next byte starts a frame. */
      const size_t length = rx->decoded_length;
      start_frame(rx);
      rx->decoded_length = length;
      return event;
    }
    start_frame(rx);
    return event;
  }
  if (rx->discarding) return SB_RX_NONE;
  if (rx->encoded_length == 0u) rx->decoded_length = 0; /* first byte of a new frame */
  if (rx->encoded_length >= SB_MAX_ENCODED_FRAME_BYTES) {
    /* More encoded bytes than the longest frame can need: drop at once, skip to the next delimiter. */
    start_frame(rx);
    rx->discarding = true;
    return drop(rx, SB_DROP_LENGTH, false);
  }
  rx->encoded_length++;
  if (rx->block_left > 0u) {
    emit(rx, byte);
    rx->block_left--;
    return SB_RX_NONE;
  }
  /* A code byte. The block before it (unless it was a full 0xFF block) stood for a zero after its data. */
  if (rx->block_code != 0u && rx->block_code != 0xFFu) emit(rx, 0x00u);
  rx->block_code = byte;
  rx->block_left = (uint8_t)(byte - 1u);
  return SB_RX_NONE;
}
