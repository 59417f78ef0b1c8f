/**
 * The board's OWN copy of the program limit checks, written apart from firmware-protocol/src/validate.ts
 * (from the limit tables of PROTOCOL.md § 13 and the constants in limits.ts) so that a bug in the host
 * validator is caught here, as real firmware would catch it (PROTOCOL.md § 13.5 says why a board keeps
 * its own table). It knows only the mode table and the board's caps — not
 * the lab cap or the electrode area, which live on the host. Integer arithmetic throughout (as C firmware
 * would do it), and it stops at the first failure, because a NACK names one field.
 *
 * tests/hardware-mock/firmwareValidation.test.ts checks this table against MODE_LIMITS and the two
 * validators against each other, so neither can drift silently.
 */
import {
  ASYMMETRIC_PHASE_RATIO,
  MAX_CHARGE_PER_PHASE_NC,
  MAX_RAMP_MS,
  MAX_RMS_CURRENT_UA,
  MAX_SLEW_UA_PER_S,
  MIN_DURATION_MS,
  type BoardCaps,
  type FieldName,
  type Mode,
  type NackCode,
  type Program,
} from '../../firmware-protocol/src/index.ts';

export interface BoardModeLimits {
  minFrequencyDeciHz: number;
  maxFrequencyDeciHz: number;
  minPulseWidthUs: number;
  maxPulseWidthUs: number;
  maxAmplitudeUa: number;
  maxDurationMs: number;
  /** Burst mode: pulses per burst, intra-burst rate, longest train. */
  burst?: { minPulses: number; maxPulses: number; minFrequencyDeciHz: number; maxFrequencyDeciHz: number; maxTrainMs: number };
  /** Modulated mode: sweep period. */
  sweep?: { minPeriodMs: number; maxPeriodMs: number };
}

const MIN = 60_000;

/** PROTOCOL.md § 13.1 "Per-mode table (v1)", transcribed into wire units. */
export const BOARD_MODE_TABLE: Readonly<Record<Mode, Readonly<BoardModeLimits>>> = {
  // 50–150 Hz | 50–250 µs | ≤ 60 mA | 12 h
  conventional: { minFrequencyDeciHz: 500, maxFrequencyDeciHz: 1500, minPulseWidthUs: 50, maxPulseWidthUs: 250, maxAmplitudeUa: 60_000, maxDurationMs: 12 * 60 * MIN },
  // 1–10 Hz | 100–400 µs | ≤ 80 mA | 60 min
  'acupuncture-like': { minFrequencyDeciHz: 10, maxFrequencyDeciHz: 100, minPulseWidthUs: 100, maxPulseWidthUs: 400, maxAmplitudeUa: 80_000, maxDurationMs: 60 * MIN },
  // 1–5 Hz bursts of 2–10 pulses at 50–150 Hz, burst ≤ 100 ms | 100–300 µs | ≤ 80 mA | 60 min
  burst: {
    minFrequencyDeciHz: 10, maxFrequencyDeciHz: 50, minPulseWidthUs: 100, maxPulseWidthUs: 300, maxAmplitudeUa: 80_000, maxDurationMs: 60 * MIN,
    burst: { minPulses: 2, maxPulses: 10, minFrequencyDeciHz: 500, maxFrequencyDeciHz: 1500, maxTrainMs: 100 },
  },
  // 80–150 Hz | 150–300 µs | ≤ 80 mA | 15 min
  'brief-intense': { minFrequencyDeciHz: 800, maxFrequencyDeciHz: 1500, minPulseWidthUs: 150, maxPulseWidthUs: 300, maxAmplitudeUa: 80_000, maxDurationMs: 15 * MIN },
  // sweep between two rates within 1–150 Hz, period 1–30 s | 50–350 µs | ≤ 60 mA | 60 min
  modulated: {
    minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, minPulseWidthUs: 50, maxPulseWidthUs: 350, maxAmplitudeUa: 60_000, maxDurationMs: 60 * MIN,
    sweep: { minPeriodMs: 1_000, maxPeriodMs: 30_000 },
  },
  // 1–30 Hz | 50–300 µs | ≤ 50 mA | 60 min
  'low-frequency': { minFrequencyDeciHz: 10, maxFrequencyDeciHz: 300, minPulseWidthUs: 50, maxPulseWidthUs: 300, maxAmplitudeUa: 50_000, maxDurationMs: 60 * MIN },
};

/** Why the board refuses a program or an amplitude: exactly what goes into the NACK. */
export interface BoardLimitFailure {
  code: Extract<NackCode, 'outOfRange' | 'rmsCurrent' | 'chargePerPhase' | 'badChannel'>;
  field: FieldName;
  value: number;
  /** The bound the value broke (inclusive: the largest or smallest value that would pass). */
  bound: number;
}

const fail = (code: BoardLimitFailure['code'], field: FieldName, value: number, bound: number): BoardLimitFailure => ({ code, field, value, bound });

/**
 * r.m.s. current, exactly: I_rms = I·sqrt(t·f) ≤ 50 mA with t the energy-equivalent phase time per pulse
 * and f the pulse rate (IEC 60601-2-10). With t in µs and f in 0.1 Hz: I²·t·f ≤ 50000²·10⁷. Asymmetric
 * pulses (pw at I, then ratio·pw at I/ratio) have t = pw·(1 + 1/ratio); multiplying through by the ratio
 * keeps everything integral: I²·(ratio·t)·f ≤ 50000²·10⁷·ratio. BigInt, because I²·t·f passes 2⁵³.
 */
function rmsTerms(program: Program): { phaseTimesRatio: bigint; rateDeciHz: bigint } {
  const r = ASYMMETRIC_PHASE_RATIO;
  const phaseTimesRatio = program.waveform === 'asymmetric-biphasic' ? program.pulseWidthUs * (r + 1) : 2 * r * program.pulseWidthUs;
  let rate: number;
  if (program.mode === 'burst') rate = program.frequencyDeciHz * program.burstPulses; // mean rate: bursts/s × pulses/burst
  else if (program.mode === 'modulated') rate = Math.max(program.frequencyDeciHz, program.sweepHighDeciHz); // worst case of the sweep
  else rate = program.frequencyDeciHz;
  return { phaseTimesRatio: BigInt(phaseTimesRatio), rateDeciHz: BigInt(rate) };
}

const RMS_RHS = BigInt(MAX_RMS_CURRENT_UA) ** 2n * 10_000_000n * BigInt(ASYMMETRIC_PHASE_RATIO);

/** Largest peak amplitude within the r.m.s. limit for this program's width, waveform and rate, µA. */
export function rmsAmplitudeBoundUa(program: Program): number {
  const { phaseTimesRatio, rateDeciHz } = rmsTerms(program);
  const k = phaseTimesRatio * rateDeciHz;
  if (k === 0n) return 0xffffffff;
  const limit = RMS_RHS / k; // I² ≤ RHS/k  ⟺  I² ≤ floor(RHS/k) for integer I
  let a = BigInt(Math.floor(Math.sqrt(Number(limit))));
  while (a * a > limit) a--;
  while ((a + 1n) * (a + 1n) <= limit) a++;
  return Number(a > 0xffffffffn ? 0xffffffffn : a);
}

/**
 * Largest peak amplitude whose primary phase carries at most 25 µC at this width, µA:
 * amplitude · width (µA·µs = pC) ≤ 25 000 nC · 1000. Integer division, as C firmware does it.
 */
export function chargeAmplitudeBoundUa(program: Program): number {
  if (program.pulseWidthUs === 0) return 0xffffffff;
  return Math.floor((MAX_CHARGE_PER_PHASE_NC * 1000) / program.pulseWidthUs);
}

/** Highest amplitude the mode and the board allow, before the charge and r.m.s. checks, µA. */
function amplitudeCap(mode: Mode, caps: BoardCaps): number {
  return Math.min(BOARD_MODE_TABLE[mode].maxAmplitudeUa, caps.maxAmplitudeUa);
}

/** Check an amplitude for `program` (a SET_PROGRAM's own, or a live SET_AMPLITUDE target). */
export function checkAmplitudeOnBoard(program: Program, amplitudeUa: number, caps: BoardCaps): BoardLimitFailure | null {
  const cap = amplitudeCap(program.mode, caps);
  if (amplitudeUa > cap) return fail('outOfRange', 'amplitudeUa', amplitudeUa, cap);
  const chargeBound = chargeAmplitudeBoundUa(program);
  if (amplitudeUa > chargeBound) return fail('chargePerPhase', 'amplitudeUa', amplitudeUa, chargeBound);
  const rmsBound = rmsAmplitudeBoundUa(program);
  if (amplitudeUa > rmsBound) return fail('rmsCurrent', 'amplitudeUa', amplitudeUa, rmsBound);
  return null;
}

/** The first limit `program` breaks on this board, or null when the board will play it. */
export function checkProgramOnBoard(program: Program, caps: BoardCaps): BoardLimitFailure | null {
  const p = program;
  if (p.channel >= caps.channelCount) return fail('badChannel', 'channel', p.channel, caps.channelCount - 1);
  const m = BOARD_MODE_TABLE[p.mode];

  const fLo = Math.max(m.minFrequencyDeciHz, caps.minFrequencyDeciHz);
  const fHi = Math.min(m.maxFrequencyDeciHz, caps.maxFrequencyDeciHz);
  if (p.frequencyDeciHz < fLo) return fail('outOfRange', 'frequencyDeciHz', p.frequencyDeciHz, fLo);
  if (p.frequencyDeciHz > fHi) return fail('outOfRange', 'frequencyDeciHz', p.frequencyDeciHz, fHi);

  const pwHi = Math.min(m.maxPulseWidthUs, caps.maxPulseWidthUs);
  if (p.pulseWidthUs < m.minPulseWidthUs) return fail('outOfRange', 'pulseWidthUs', p.pulseWidthUs, m.minPulseWidthUs);
  if (p.pulseWidthUs > pwHi) return fail('outOfRange', 'pulseWidthUs', p.pulseWidthUs, pwHi);

  const cap = amplitudeCap(p.mode, caps);
  if (p.amplitudeUa > cap) return fail('outOfRange', 'amplitudeUa', p.amplitudeUa, cap);

  if (p.durationMs < MIN_DURATION_MS) return fail('outOfRange', 'durationMs', p.durationMs, MIN_DURATION_MS);
  if (p.durationMs > m.maxDurationMs) return fail('outOfRange', 'durationMs', p.durationMs, m.maxDurationMs);

  // Every rise is a ramp no faster than the slew limit: rampUpMs ≥ ceil(amplitude·1000 / slew).
  // Exact in doubles: amplitude·1000 < 2^42.
  const slew = Math.min(MAX_SLEW_UA_PER_S, caps.maxSlewUaPerS);
  const minRampUp = Math.ceil((p.amplitudeUa * 1000) / slew);
  if (p.rampUpMs < minRampUp) return fail('outOfRange', 'rampUpMs', p.rampUpMs, minRampUp);
  if (p.rampUpMs > MAX_RAMP_MS) return fail('outOfRange', 'rampUpMs', p.rampUpMs, MAX_RAMP_MS);
  if (p.rampDownMs > MAX_RAMP_MS) return fail('outOfRange', 'rampDownMs', p.rampDownMs, MAX_RAMP_MS);
  if (p.rampUpMs + p.rampDownMs > p.durationMs) return fail('outOfRange', 'durationMs', p.durationMs, p.rampUpMs + p.rampDownMs);

  if (m.burst) {
    const b = m.burst;
    if (p.burstPulses < b.minPulses) return fail('outOfRange', 'burstPulses', p.burstPulses, b.minPulses);
    if (p.burstPulses > b.maxPulses) return fail('outOfRange', 'burstPulses', p.burstPulses, b.maxPulses);
    const bHi = Math.min(b.maxFrequencyDeciHz, caps.maxFrequencyDeciHz);
    if (p.burstFrequencyDeciHz < b.minFrequencyDeciHz) return fail('outOfRange', 'burstFrequencyDeciHz', p.burstFrequencyDeciHz, b.minFrequencyDeciHz);
    if (p.burstFrequencyDeciHz > bHi) return fail('outOfRange', 'burstFrequencyDeciHz', p.burstFrequencyDeciHz, bHi);
    // Train = pulses / rate ≤ maxTrainMs  ⟺  pulses·10 000 ≤ maxTrainMs·rate(0.1 Hz).
    if (p.burstPulses * 10_000 > b.maxTrainMs * p.burstFrequencyDeciHz) {
      return fail('outOfRange', 'burstPulses', p.burstPulses, Math.floor((b.maxTrainMs * p.burstFrequencyDeciHz) / 10_000));
    }
  } else {
    if (p.burstPulses !== 0) return fail('outOfRange', 'burstPulses', p.burstPulses, 0);
    if (p.burstFrequencyDeciHz !== 0) return fail('outOfRange', 'burstFrequencyDeciHz', p.burstFrequencyDeciHz, 0);
  }

  if (m.sweep) {
    if (p.sweepHighDeciHz <= p.frequencyDeciHz) return fail('outOfRange', 'sweepHighDeciHz', p.sweepHighDeciHz, p.frequencyDeciHz + 1);
    if (p.sweepHighDeciHz > fHi) return fail('outOfRange', 'sweepHighDeciHz', p.sweepHighDeciHz, fHi);
    if (p.sweepPeriodMs < m.sweep.minPeriodMs) return fail('outOfRange', 'sweepPeriodMs', p.sweepPeriodMs, m.sweep.minPeriodMs);
    if (p.sweepPeriodMs > m.sweep.maxPeriodMs) return fail('outOfRange', 'sweepPeriodMs', p.sweepPeriodMs, m.sweep.maxPeriodMs);
  } else {
    if (p.sweepHighDeciHz !== 0) return fail('outOfRange', 'sweepHighDeciHz', p.sweepHighDeciHz, 0);
    if (p.sweepPeriodMs !== 0) return fail('outOfRange', 'sweepPeriodMs', p.sweepPeriodMs, 0);
  }

  const chargeBound = chargeAmplitudeBoundUa(p);
  if (p.amplitudeUa > chargeBound) return fail('chargePerPhase', 'amplitudeUa', p.amplitudeUa, chargeBound);
  const rmsBound = rmsAmplitudeBoundUa(p);
  if (p.amplitudeUa > rmsBound) return fail('rmsCurrent', 'amplitudeUa', p.amplitudeUa, rmsBound);
  return null;
}
