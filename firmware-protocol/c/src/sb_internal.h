/* Functions shared between the board's source files; not part of the public API. */
#ifndef SB_INTERNAL_H
#define SB_INTERNAL_H

#include "sb_board.h"

/* ---- sb_output.c: one channel's amplitude plan ---- */
void sb_channel_start(sb_channel *ch, const sb_program *program, uint32_t now_ms, uint32_t slew_ua_per_s);
void sb_channel_set_target(sb_channel *ch, uint32_t target_ua, uint32_t now_ms, uint32_t slew_ua_per_s);
bool sb_channel_stop(sb_channel *ch, uint32_t now_ms);
/* State (SB_STATE_*) and commanded level at now_ms. */
uint8_t sb_channel_sample(const sb_channel *ch, uint32_t now_ms, uint32_t *level_ua);
uint32_t sb_channel_target_ua(const sb_channel *ch, uint32_t now_ms);
/* Pulse rate at now_ms (0.1 Hz): fixed, burst-gated, or the sweep's triangle; 0 between bursts. */
uint16_t sb_channel_pulse_rate_decihz(const sb_channel *ch, uint32_t now_ms);
/* Tell the HAL, if anything changed. */
void sb_channel_drive(sb_board *b, uint8_t channel, uint32_t level_ua, uint32_t now_ms);
/* Every output to 0 at once (ESTOP, faults). */
void sb_cut_all(sb_board *b);

/* ---- sb_send.c: frames to the host ---- */
uint16_t sb_next_seq(sb_board *b);
void sb_send(sb_board *b, const sb_message *m);
void sb_send_ack(sb_board *b, uint16_t reply_to, uint8_t acked_type);
void sb_send_nack(sb_board *b, uint16_t reply_to, uint8_t rejected_type, uint8_t code, uint8_t field, uint32_t value, uint32_t bound);
void sb_send_status(sb_board *b, uint16_t reply_to);
/* Unsolicited STATUS if any channel changed state since the last report (or `force`). */
void sb_status_if_changed(sb_board *b, bool force);
void sb_latch_fault(sb_board *b, uint8_t code, uint8_t channel, uint32_t detail);

/* ---- sb_telemetry.c ---- */
void sb_telemetry_record(sb_board *b, uint8_t channel, uint32_t now_ms, bool running);
void sb_telemetry_end_batch(sb_board *b);
void sb_telemetry_discard(sb_board *b);

/* ---- sb_board.c ---- */
uint32_t sb_measure_impedance_ohm(sb_board *b, uint8_t channel);

#endif /* SB_INTERNAL_H */
