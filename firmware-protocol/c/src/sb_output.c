/* One channel's amplitude over time, as a plan evaluated at any instant (like the simulated board's
 * Envelope), in integer arithmetic:
 *   rise:  level = min(target, level0 + rise_num · (t − t0) / rise_den)   START: 0 → amplitude over
 *          rampUpMs (never faster than the slew cap); SET_AMPLITUDE up: at the slew cap; down: at once
 *   fall:  linear from down_from at down_at to 0 at down_end              START + duration − rampDown,
 *          so the channel is idle exactly at durationMs; or from the present level on STOP.
 * Times are ms since START (a session is at most 12 h, far from 2^32 wrap). */
#include "sb_internal.h"

static uint32_t rise_level(const sb_channel *ch, uint32_t rel_ms) {
  if (ch->rise_den == 0u || rel_ms < ch->t0_rel_ms) return ch->rise_den == 0u ? ch->target_ua : ch->level0_ua;
  const uint64_t v = (uint64_t)ch->level0_ua + (uint64_t)ch->rise_num * (rel_ms - ch->t0_rel_ms) / ch->rise_den;
  return v < ch->target_ua ? (uint32_t)v : ch->target_ua;
}

void sb_channel_start(sb_channel *ch, const sb_program *p, uint32_t now_ms, uint32_t slew_ua_per_s) {
  ch->active = *p;
  ch->running = true;
  ch->start_ms = now_ms;
  ch->t0_rel_ms = 0;
  ch->level0_ua = 0;
  ch->target_ua = p->amplitude_ua;
  /* The program's ramp, unless it asks for more than the board's own slew cap (validation refuses
   * that, but the output stage enforces it independently). */
  if (p->amplitude_ua == 0u) {
    ch->rise_num = 0;
    ch->rise_den = 0;
  } else if (p->ramp_up_ms == 0u || (uint64_t)p->amplitude_ua * 1000u > (uint64_t)slew_ua_per_s * p->ramp_up_ms) {
    ch->rise_num = slew_ua_per_s;
    ch->rise_den = 1000u;
  } else {
    ch->rise_num = p->amplitude_ua;
    ch->rise_den = p->ramp_up_ms;
  }
  ch->down_at_rel_ms = p->duration_ms - p->ramp_down_ms;
  ch->down_end_rel_ms = p->duration_ms;
  ch->down_from_ua = rise_level(ch, ch->down_at_rel_ms);
}

uint8_t sb_channel_sample(const sb_channel *ch, uint32_t now_ms, uint32_t *level_ua) {
  uint32_t level = 0;
  uint8_t state = SB_STATE_IDLE;
  if (ch->running) {
    const uint32_t rel = now_ms - ch->start_ms;
    if (rel >= ch->down_end_rel_ms) {
      state = SB_STATE_IDLE;
    } else if (rel >= ch->down_at_rel_ms) {
      state = SB_STATE_RAMPING_DOWN;
      level = (uint32_t)((uint64_t)ch->down_from_ua * (ch->down_end_rel_ms - rel) / (ch->down_end_rel_ms - ch->down_at_rel_ms));
    } else {
      level = rise_level(ch, rel);
      state = level < ch->target_ua ? SB_STATE_RAMPING_UP : SB_STATE_HOLDING;
    }
  }
  if (level_ua != NULL) *level_ua = level;
  return state;
}

uint32_t sb_channel_target_ua(const sb_channel *ch, uint32_t now_ms) {
  const uint8_t s = sb_channel_sample(ch, now_ms, NULL);
  return s == SB_STATE_RAMPING_UP || s == SB_STATE_HOLDING ? ch->target_ua : 0u;
}

void sb_channel_set_target(sb_channel *ch, uint32_t target_ua, uint32_t now_ms, uint32_t slew_ua_per_s) {
  const uint32_t rel = now_ms - ch->start_ms;
  const uint32_t present = rise_level(ch, rel);
  ch->t0_rel_ms = rel;
  if (target_ua <= present) {
    /* A decrease is immediate. */
    ch->level0_ua = target_ua;
    ch->rise_num = 0;
    ch->rise_den = 0;
  } else {
    /* A rise goes at the slew cap from the present level. */
    ch->level0_ua = present;
    ch->rise_num = slew_ua_per_s;
    ch->rise_den = 1000u;
  }
  ch->target_ua = target_ua;
  ch->down_from_ua = rise_level(ch, ch->down_at_rel_ms);
}

bool sb_channel_stop(sb_channel *ch, uint32_t now_ms) {
  const uint8_t s = sb_channel_sample(ch, now_ms, NULL);
  if (s == SB_STATE_IDLE || s == SB_STATE_RAMPING_DOWN) return false;
  const uint32_t rel = now_ms - ch->start_ms;
  ch->down_from_ua = rise_level(ch, rel);
  ch->down_at_rel_ms = rel;
  /* Ramp down over rampDownMs, but never past durationMs: the session length is a hard limit. */
  const uint32_t left_ms = ch->active.duration_ms - rel;
  ch->down_end_rel_ms = rel + (ch->active.ramp_down_ms < left_ms ? ch->active.ramp_down_ms : left_ms);
  return true;
}

uint16_t sb_channel_pulse_rate_decihz(const sb_channel *ch, uint32_t now_ms) {
  const sb_program *p = &ch->active;
  const uint32_t rel = now_ms - ch->start_ms;
  if (p->mode == SB_MODE_BURST) {
    /* Bursts start every 10 000 / f ms (f in 0.1 Hz); a train lasts pulses · 10 000 / burst rate ms.
     * Compared in units of 1/(f · burst rate) so nothing is rounded: t·f·fb mod 10⁴·fb < pulses·10⁴·f. */
    const uint64_t f = p->frequency_decihz, fb = p->burst_frequency_decihz;
    if (f == 0u || fb == 0u) return 0;
    const uint64_t phase = ((uint64_t)rel * f * fb) % (10000u * fb);
    return phase < (uint64_t)p->burst_pulses * 10000u * f ? p->burst_frequency_decihz : 0u;
  }
  if (p->mode == SB_MODE_MODULATED && p->sweep_period_ms > 0u) {
    /* Triangle: low → high over the first half of the period, back to low over the second. */
    const uint32_t period = p->sweep_period_ms, tau = rel % period;
    const uint32_t from_low = tau <= period / 2u ? tau : period - tau; /* 0 … period/2 */
    const uint32_t span = (uint32_t)(p->sweep_high_decihz - p->frequency_decihz);
    return (uint16_t)(p->frequency_decihz + (uint64_t)span * 2u * from_low / period);
  }
  return p->frequency_decihz;
}

void sb_channel_drive(sb_board *b, uint8_t channel, uint32_t level_ua, uint32_t now_ms) {
  sb_channel *ch = &b->channels[channel];
  sb_output next = {0};
  if (ch->running && level_ua > 0u) {
    next.amplitude_ua = level_ua;
    next.pulse_width_us = ch->active.pulse_width_us;
    next.waveform = ch->active.waveform;
    next.pulse_rate_decihz = sb_channel_pulse_rate_decihz(ch, now_ms);
  }
  if (next.amplitude_ua == ch->output.amplitude_ua && next.pulse_width_us == ch->output.pulse_width_us &&
      next.waveform == ch->output.waveform && next.pulse_rate_decihz == ch->output.pulse_rate_decihz) {
    return;
  }
  ch->output = next;
  b->hal.set_output(b->hal.context, channel, &next);
}

void sb_cut_all(sb_board *b) {
  for (uint8_t c = 0; c < b->config.caps.channel_count; c++) {
    sb_channel *ch = &b->channels[c];
    ch->running = false;
    /* Always tell the HAL, even if it was told 0 before: this is the stop path, not an optimisation. */
    ch->output = (sb_output){0};
    b->hal.set_output(b->hal.context, c, &ch->output);
  }
}
