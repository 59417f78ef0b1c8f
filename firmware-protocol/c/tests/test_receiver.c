/* The streaming receiver against malformed.json, and its buffer bound. */
#include <string.h>

#include "sb_receiver.h"
#include "sb_codec.h"
#include "sb_test.h"
#include "sb_vectors.h"

/* Feed a vector's bytes with chunk boundaries every `step` bytes (0: the vector's own chunks; the
 * receiver is byte-wise, so every chunking must give the same result). */
static void run_malformed(const sb_malformed_vector *v) {
  uint8_t buffer[SB_MAX_FRAME_BYTES], out[SB_MAX_WIRE_BYTES];
  sb_receiver rx;
  CHECK_EQ(sb_receiver_init(&rx, buffer, sizeof buffer, SB_PROTOCOL_VERSION), SB_OK);
  size_t frames = 0;
  for (size_t c = 0; c < v->chunk_count; c++) {
    for (size_t k = 0; k < v->chunks[c].length; k++) {
      if (sb_receiver_push(&rx, v->chunks[c].bytes[k]) != SB_RX_FRAME) continue;
      sb_message m;
      size_t length = 0;
      CHECK_EQ(sb_decode_frame(buffer, sb_receiver_frame_length(&rx), &m), SB_OK);
      CHECK(frames < v->expect_count);
      if (frames < v->expect_count) {
        CHECK_EQ(sb_encode_frame(&m, SB_PROTOCOL_VERSION, out, sizeof out, &length), SB_OK);
        CHECK(length == v->expect[frames].length && memcmp(out, v->expect[frames].bytes, length) == 0);
      }
      frames++;
    }
  }
  CHECK_EQ(frames, v->expect_count);
  for (size_t r = 0; r < SB_DROP_REASON_COUNT; r++) {
    if (rx.drops[r] != v->drops[r]) printf("  vector %s: drop reason %zu\n", v->name, r);
    CHECK_EQ(rx.drops[r], v->drops[r]);
  }
}

static void malformed_vectors_drop_and_count(void) {
  for (size_t i = 0; i < SB_MALFORMED_VECTOR_COUNT; i++) run_malformed(&SB_MALFORMED_VECTORS[i]);
}

/* A board keeps 40 decoded bytes: a long frame is still checked (length, CRC) without overrunning,
 * and a valid request after it decodes. ASan fails this test if a byte lands outside the buffer. */
static void board_sized_receiver_never_overruns(void) {
  uint8_t buffer[SB_RECEIVER_BOARD_CAPACITY];
  sb_receiver rx;
  CHECK_EQ(sb_receiver_init(&rx, buffer, sizeof buffer, SB_PROTOCOL_VERSION), SB_OK);
  /* A valid 40-sample TELEMETRY frame (328 decoded bytes) does not fit: dropped as malformed. */
  const sb_message_vector *longest = NULL;
  for (size_t i = 0; i < SB_MESSAGE_VECTOR_COUNT; i++) {
    if (strcmp(SB_MESSAGE_VECTORS[i].name, "telemetry-long-run") == 0) longest = &SB_MESSAGE_VECTORS[i];
  }
  CHECK(longest != NULL);
  if (longest == NULL) return;
  sb_rx_event last = SB_RX_NONE;
  for (size_t k = 0; k < longest->wire_length; k++) last = sb_receiver_push(&rx, longest->wire[k]);
  CHECK_EQ(last, SB_RX_DROP);
  CHECK_EQ(rx.drops[SB_DROP_MALFORMED], 1);
  /* 5000 non-zero bytes: one length drop, then resynchronised. */
  for (int k = 0; k < 5000; k++) (void)sb_receiver_push(&rx, (uint8_t)(1 + k % 255));
  CHECK_EQ(rx.drops[SB_DROP_LENGTH], 1);
  (void)sb_receiver_push(&rx, 0);
  const uint8_t heartbeat[] = {0x04, 0x01, 0x09, 0x1a, 0x05, 0x13, 0x4f, 0xa6, 0x8d, 0x00};
  for (size_t k = 0; k < sizeof heartbeat; k++) last = sb_receiver_push(&rx, heartbeat[k]);
  CHECK_EQ(last, SB_RX_FRAME);
  CHECK_EQ(sb_receiver_init(&rx, buffer, 7, 1), SB_ERR_ARG);
}

void sb_tests_receiver(void) {
  RUN(malformed_vectors_drop_and_count);
  RUN(board_sized_receiver_never_overruns);
}
