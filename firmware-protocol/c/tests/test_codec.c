/* CRC-32C, COBS and the message codec against PROTOCOL.md's tables and the golden vectors. */
#include <string.h>

#include "sb_cobs.h"
#include "sb_crc.h"
#include "sb_receiver.h"
#include "sb_test.h"
#include "sb_vectors.h"

static void crc32c_check_values(void) {
  const uint8_t digits[] = "123456789";
  uint8_t zeros[32], ones[32];
  memset(zeros, 0x00, sizeof zeros);
  memset(ones, 0xFF, sizeof ones);
  CHECK_EQ(sb_crc32c(digits, 9), 0xE3069283u);
  CHECK_EQ(sb_crc32c(zeros, 32), 0x8A9136AAu);
  CHECK_EQ(sb_crc32c(ones, 32), 0x62A8AB43u);
  /* Streaming in pieces gives the same result. */
  uint32_t crc = sb_crc32c_update(SB_CRC32C_INIT, digits, 4);
  crc = sb_crc32c_update(crc, digits + 4, 5);
  CHECK_EQ(sb_crc32c_final(crc), 0xE3069283u);
}

static void cobs_round_trip(const uint8_t *decoded, size_t n, const uint8_t *encoded, size_t m) {
  uint8_t out[600], back[600];
  size_t length = 0;
  CHECK_EQ(sb_cobs_encode(decoded, n, out, sizeof out, &length), SB_OK);
  CHECK_EQ(length, m);
  CHECK(memcmp(out, encoded, m) == 0);
  CHECK_EQ(sb_cobs_decode(encoded, m, back, sizeof back, &length), SB_OK);
  CHECK_EQ(length, n);
  CHECK(memcmp(back, decoded, n) == 0);
}

static void cobs_published_examples(void) {
  cobs_round_trip((const uint8_t[]){0x00}, 1, (const uint8_t[]){0x01, 0x01}, 2);
  cobs_round_trip((const uint8_t[]){0x00, 0x00}, 2, (const uint8_t[]){0x01, 0x01, 0x01}, 3);
  cobs_round_trip((const uint8_t[]){0x00, 0x11, 0x00}, 3, (const uint8_t[]){0x01, 0x02, 0x11, 0x01}, 4);
  cobs_round_trip((const uint8_t[]){0x11, 0x22, 0x00, 0x33}, 4, (const uint8_t[]){0x03, 0x11, 0x22, 0x02, 0x33}, 5);
  cobs_round_trip((const uint8_t[]){0x11, 0x00, 0x00, 0x00}, 4, (const uint8_t[]){0x02, 0x11, 0x01, 0x01, 0x01}, 5);
  /* 01 … FE (254 bytes) → FF 01 … FE, with no trailing 01; 01 … FF (255) → FF 01 … FE 02 FF. */
  uint8_t run[255], enc[260];
  for (size_t i = 0; i < 255; i++) run[i] = (uint8_t)(i + 1);
  enc[0] = 0xFF;
  memcpy(enc + 1, run, 254);
  cobs_round_trip(run, 254, enc, 255);
  enc[255] = 0x02;
  enc[256] = 0xFF;
  cobs_round_trip(run, 255, enc, 257);
  /* A code byte pointing past the end is refused. */
  size_t length = 0;
  uint8_t back[8];
  CHECK_EQ(sb_cobs_decode((const uint8_t[]){0x05, 0x11}, 2, back, sizeof back, &length), SB_ERR_COBS);
  CHECK_EQ(sb_cobs_encode(run, 255, enc, 256, &length), SB_ERR_SPACE);
}

/* Every message of messages.json: the C encoder produces exactly its wire bytes. */
static void golden_vectors_encode_byte_for_byte(void) {
  uint8_t out[SB_MAX_WIRE_BYTES];
  for (size_t i = 0; i < SB_MESSAGE_VECTOR_COUNT; i++) {
    const sb_message_vector *v = &SB_MESSAGE_VECTORS[i];
    size_t length = 0;
    CHECK_EQ(sb_encode_frame(&v->message, SB_PROTOCOL_VERSION, out, sizeof out, &length), SB_OK);
    CHECK_EQ(length, v->wire_length);
    if (length == v->wire_length && memcmp(out, v->wire, length) != 0) {
      printf("  vector %s: bytes differ\n", v->name);
      CHECK(0);
    }
  }
}

/* Every message of messages.json: the receiver + decoder yields the same message (re-encoded to the
 * same bytes, and field by field for the fixed-size parts). */
static void golden_vectors_decode(void) {
  uint8_t buffer[SB_MAX_FRAME_BYTES], out[SB_MAX_WIRE_BYTES];
  for (size_t i = 0; i < SB_MESSAGE_VECTOR_COUNT; i++) {
    const sb_message_vector *v = &SB_MESSAGE_VECTORS[i];
    sb_receiver rx;
    CHECK_EQ(sb_receiver_init(&rx, buffer, sizeof buffer, SB_PROTOCOL_VERSION), SB_OK);
    int frames = 0;
    sb_message m;
    for (size_t k = 0; k < v->wire_length; k++) {
      if (sb_receiver_push(&rx, v->wire[k]) == SB_RX_FRAME) {
        frames++;
        CHECK_EQ(sb_decode_frame(buffer, sb_receiver_frame_length(&rx), &m), SB_OK);
      }
    }
    CHECK_EQ(frames, 1);
    if (frames != 1) continue;
    CHECK_EQ(m.type, v->message.type);
    CHECK_EQ(m.seq, v->message.seq);
    size_t length = 0;
    CHECK_EQ(sb_encode_frame(&m, SB_PROTOCOL_VERSION, out, sizeof out, &length), SB_OK);
    CHECK(length == v->wire_length && memcmp(out, v->wire, length) == 0);
    if (m.type == SB_TYPE_TELEMETRY) {
      for (size_t s = 0; s < m.u.telemetry.sample_count; s++) {
        sb_sample got;
        CHECK_EQ(sb_telemetry_sample(&m, s, &got), SB_OK);
        CHECK_EQ(got.current_ua, v->message.u.telemetry.samples[s].current_ua);
        CHECK_EQ(got.voltage_mv, v->message.u.telemetry.samples[s].voltage_mv);
      }
    } else if (m.type == SB_TYPE_NACK) {
      CHECK(memcmp(&m.u.nack, &v->message.u.nack, sizeof m.u.nack) == 0);
    } else if (m.type == SB_TYPE_SET_PROGRAM) {
      CHECK(memcmp(&m.u.program, &v->message.u.program, sizeof m.u.program) == 0);
    }
  }
}

static void encoder_refuses_what_does_not_fit(void) {
  uint8_t out[SB_MAX_WIRE_BYTES];
  size_t length = 0;
  sb_message m = {.type = SB_TYPE_FAULT, .seq = 1};
  m.u.fault.code = 99; /* not a fault code */
  CHECK_EQ(sb_encode_frame(&m, 1, out, sizeof out, &length), SB_ERR_RANGE);
  m.type = 0x7F;
  CHECK_EQ(sb_encode_frame(&m, 1, out, sizeof out, &length), SB_ERR_TYPE);
  m = (sb_message){.type = SB_TYPE_TELEMETRY, .seq = 1};
  m.u.telemetry.sample_count = 101;
  CHECK_EQ(sb_encode_frame(&m, 1, out, sizeof out, &length), SB_ERR_RANGE);
  m = (sb_message){.type = SB_TYPE_HEARTBEAT, .seq = 1};
  CHECK_EQ(sb_encode_frame(&m, 1, out, 9, &length), SB_ERR_SPACE);
  CHECK_EQ(sb_encode_frame(&m, 1, out, 10, &length), SB_OK);
}

void sb_tests_codec(void) {
  RUN(crc32c_check_values);
  RUN(cobs_published_examples);
  RUN(golden_vectors_encode_byte_for_byte);
  RUN(golden_vectors_decode);
  RUN(encoder_refuses_what_does_not_fit);
}
