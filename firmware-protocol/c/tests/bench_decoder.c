/* Decoder throughput on the host: a stream of TELEMETRY batches (100 samples, the board's commonest
 * frame) and ACKs, decoded with the streaming receiver and sb_decode_frame. Writes the stream to the
 * file given (so the TypeScript FrameDecoder can decode the very same bytes) and prints
 * "bytes=N frames=N seconds=S mb_per_s=X". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sb_codec.h"
#include "sb_receiver.h"

#define STREAM_BYTES (4u * 1024u * 1024u)

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  static uint8_t stream[STREAM_BYTES + SB_MAX_WIRE_BYTES];
  static sb_sample samples[SB_MAX_TELEMETRY_SAMPLES];
  size_t length = 0, frames_in = 0;
  for (uint16_t seq = 1; length < STREAM_BYTES; seq++) {
    sb_message m = {.seq = seq};
    if (seq % 4u == 0u) {
      m.type = SB_TYPE_ACK;
      m.u.ack.reply_to = seq;
      m.u.ack.acked_type = SB_TYPE_HEARTBEAT;
    } else {
      m.type = SB_TYPE_TELEMETRY;
      for (size_t i = 0; i < SB_MAX_TELEMETRY_SAMPLES; i++) {
        samples[i].current_ua = (int32_t)(20000u + (seq * 7u + i) % 300u);
        samples[i].voltage_mv = (int32_t)(16000u + (seq * 3u + i) % 200u);
      }
      m.u.telemetry.sample_count = SB_MAX_TELEMETRY_SAMPLES;
      m.u.telemetry.sample_interval_us = 1000;
      m.u.telemetry.first_sample_ms = seq * 100u;
      m.u.telemetry.samples = samples;
    }
    size_t n = 0;
    if (sb_encode_frame(&m, 1, stream + length, SB_MAX_WIRE_BYTES, &n) != SB_OK) return 1;
    length += n;
    frames_in++;
  }
  if (argc > 1) {
    FILE *f = fopen(argv[1], "wb");
    if (f == NULL) return 1;
    fwrite(stream, 1, length, f);
    fclose(f);
  }
  static uint8_t buffer[SB_MAX_FRAME_BYTES];
  sb_receiver rx;
  (void)sb_receiver_init(&rx, buffer, sizeof buffer, 1);
  size_t frames = 0, rounds = 0;
  volatile uint32_t sink = 0;
  const double start = seconds_now();
  double elapsed = 0;
  do {
    for (size_t i = 0; i < length; i++) {
      if (sb_receiver_push(&rx, stream[i]) == SB_RX_FRAME) {
        sb_message m;
        if (sb_decode_frame(buffer, sb_receiver_frame_length(&rx), &m) == SB_OK) {
          frames++;
          sink += m.seq;
        }
      }
    }
    rounds++;
    elapsed = seconds_now() - start;
  } while (elapsed < 1.0);
  if (frames != frames_in * rounds) return 2;
  printf("bytes=%zu frames=%zu seconds=%.3f mb_per_s=%.1f\n", length * rounds, frames, elapsed, (double)(length * rounds) / elapsed / 1e6);
  return 0;
}
