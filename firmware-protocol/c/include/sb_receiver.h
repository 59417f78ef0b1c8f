/* The streaming frame receiver (PROTOCOL.md § 2): bytes in one at a time, in any chunking, frames out.
 * It un-stuffs COBS and runs the CRC as the bytes arrive, so it needs no buffer for the encoded frame:
 * it keeps only the first `capacity` decoded bytes (the caller's buffer). A board needs 40 bytes (the
 * largest request: header, 32-byte program, CRC); a host-side decoder gives it SB_MAX_FRAME_BYTES.
 * It never overruns: bytes past the capacity are checked (length, COBS, CRC) but not stored. */
#ifndef SB_RECEIVER_H
#define SB_RECEIVER_H

#include "sb_types.h"

/* Decoded bytes a board must keep: header + the longest request body + CRC. */
#define SB_RECEIVER_BOARD_CAPACITY (SB_HEADER_BYTES + SB_PROGRAM_BYTES + SB_CRC_BYTES)

/* Drop reasons, in the order of the checks (§ 2) and of sb_drop_counts. */
typedef enum sb_drop_reason {
  SB_DROP_CRC = 0,
  SB_DROP_COBS,
  SB_DROP_LENGTH,
  SB_DROP_UNKNOWN_TYPE,
  SB_DROP_VERSION,
  SB_DROP_MALFORMED,
  SB_DROP_REASON_COUNT
} sb_drop_reason;

typedef enum sb_rx_event {
  SB_RX_NONE = 0, /* byte consumed, nothing complete */
  SB_RX_FRAME,    /* a CRC-valid frame of a known type in the supported version: see sb_receiver_frame */
  SB_RX_DROP      /* a frame was dropped (and counted): see last_drop; header fields valid if has_header */
} sb_rx_event;

typedef struct sb_receiver {
  uint8_t *buffer;        /* caller's buffer: the first `capacity` decoded bytes of the frame in hand */
  size_t capacity;
  uint8_t version;        /* the header version this receiver speaks */
  size_t encoded_length;  /* encoded bytes since the last delimiter */
  size_t decoded_length;  /* decoded bytes so far (stored or not) */
  uint8_t block_code;     /* code byte of the COBS block in hand, 0 before the first */
  uint8_t block_left;     /* data bytes still due in that block */
  bool discarding;        /* over-long frame: skip to the next delimiter */
  uint32_t crc;           /* running CRC over all decoded bytes except the last four */
  uint8_t tail[4];        /* the last four decoded bytes (the CRC once the frame ends), ring */
  /* The last drop. For reasons after the CRC check (version, unknownType, malformed) the header is
   * trustworthy and has_header is true, so a board can NACK it. */
  sb_drop_reason last_drop;
  bool has_header;
  uint8_t drop_version;
  uint8_t drop_type;
  uint16_t drop_seq;
  size_t drop_body_length;
  uint32_t drops[SB_DROP_REASON_COUNT];
  uint32_t frames;
} sb_receiver;

/* Set up a receiver over `buffer[0, capacity)` that accepts header version `version`.
 * Failures: SB_ERR_ARG (NULL pointer, or capacity < SB_HEADER_BYTES + SB_CRC_BYTES). */
sb_rc sb_receiver_init(sb_receiver *rx, uint8_t *buffer, size_t capacity, uint8_t version);

/* Forget the frame in hand (port reopened, board reset). Counters are kept. Cannot fail. */
void sb_receiver_reset(sb_receiver *rx);

/* Feed one byte. Returns SB_RX_FRAME when `byte` was the delimiter of a good frame (header + body +
 * CRC in the buffer, length from sb_receiver_frame_length; a body longer than the buffer is reported as a
 * malformed drop instead, since it cannot be checked), SB_RX_DROP when it ended a bad one, else SB_RX_NONE.
 * Never fails, never reads or writes outside the buffer. */
sb_rx_event sb_receiver_push(sb_receiver *rx, uint8_t byte);

/* Length of the frame just reported by SB_RX_FRAME (header + body + CRC). */
static inline size_t sb_receiver_frame_length(const sb_receiver *rx) { return rx->decoded_length; }

#endif /* SB_RECEIVER_H */
