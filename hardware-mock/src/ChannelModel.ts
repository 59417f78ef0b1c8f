/**
 * One output channel's physical state: its amplitude plan (Envelope), the program it plays and that
 * program's pulse train, the electrode load with the compliance limit it implies, the dose delivered so
 * far, and its telemetry capture. OutputModel drives it sample by sample or span by span.
 */
import type { Program } from '../../firmware-protocol/src/index.ts';
import { complianceLimitUa, effectiveImpedanceOhm, type LoadModel } from './ElectrodeLoad.ts';
import { Envelope } from './Envelope.ts';
import { PulseTrain, pulseShape } from './PulseTrain.ts';
import { TelemetryCapture } from './TelemetryCapture.ts';

/** CHANNEL_STATES indices used on the hot path. */
export const IDLE = 0;
export const HOLDING = 2;

/** What really reached the electrodes on one channel since the board was built. */
export interface BoardDose {
  /** Time with delivered current > 0, ms. */
  activeMs: number;
  /** ∫ delivered peak current dt, µA·ms. */
  amplitudeIntegralUaMs: number;
  /** Σ primary-phase charge of every pulse, nC. */
  chargeNc: number;
  /** Σ (primary − balancing phase) charge, nC: 0 for charge-balanced output. (Addition to the contract.) */
  netChargeNc: number;
}

export class ChannelModel {
  readonly env = new Envelope();
  readonly telemetry = new TelemetryCapture();
  readonly dose: BoardDose = { activeMs: 0, amplitudeIntegralUaMs: 0, chargeNc: 0, netChargeNc: 0 };
  load: LoadModel;
  /** The program being played (null when idle). */
  program: Program | null = null;
  /** CHANNEL_STATES index last reported in STATUS. */
  reportedState = IDLE;
  /** Effective load impedance at the program's pulse width, Ω, and the current compliance allows, µA. */
  impedanceOhm = 0;
  limitUa = Number.POSITIVE_INFINITY;
  #train: PulseTrain | null = null;
  #pulseIndex = 0;
  #nextPulseAtMs = 0;
  #primaryUs = 0;
  #secondaryUs = 0;
  #secondaryDivisor = 1;
  readonly #complianceMv: number;

  constructor(load: LoadModel, complianceMv: number) {
    this.load = load;
    this.#complianceMv = complianceMv;
  }

  start(program: Program, nowMs: number, slewUaPerS: number): void {
    this.program = program;
    this.#train = new PulseTrain(program);
    const shape = pulseShape(program);
    this.#primaryUs = shape.primaryUs;
    this.#secondaryUs = shape.secondaryUs;
    this.#secondaryDivisor = shape.secondaryDivisor;
    this.#pulseIndex = 0;
    this.#nextPulseAtMs = 0;
    this.env.start(nowMs, program, slewUaPerS);
    this.updateLoad();
  }

  /** Output off, program done (end of session, ESTOP, fault). */
  finish(): void {
    this.env.cut();
    this.program = null;
    this.#train = null;
  }

  setLoad(load: LoadModel): void {
    this.load = load;
    this.updateLoad();
  }

  updateLoad(): void {
    if (!this.program) return;
    this.impedanceOhm = effectiveImpedanceOhm(this.load, this.program.pulseWidthUs);
    this.limitUa = complianceLimitUa(this.#complianceMv, this.impedanceOhm);
  }

  /** Commanded level clipped at compliance and rounded to the µA the board reports. */
  delivered(levelUa: number): number {
    return Math.round(levelUa < this.limitUa ? levelUa : this.limitUa);
  }

  /** Electrode voltage at the end of the primary phase for `currentUa`, mV. */
  voltageMv(currentUa: number): number {
    return currentUa > 0 ? Math.round((currentUa * this.impedanceOhm) / 1000) : 0;
  }

  /**
   * Account `samples` samples of `currentUa`, each `intervalMs` long, ending at clock time `endAtMs`:
   * active time, ∫I dt, and the charge of every pulse whose onset is at or before `endAtMs` and was not
   * counted yet (the pulses of that span, all at this current).
   */
  account(currentUa: number, samples: number, intervalMs: number, endAtMs: number): void {
    const dose = this.dose;
    if (currentUa > 0) {
      dose.activeMs += samples * intervalMs;
      dose.amplitudeIntegralUaMs += currentUa * samples * intervalMs;
    }
    const train = this.#train;
    if (train === null) return;
    const rel = endAtMs - this.env.startAtMs;
    let fired = 0;
    while (rel >= this.#nextPulseAtMs) {
      fired++;
      this.#nextPulseAtMs = train.onsetMs(++this.#pulseIndex);
    }
    if (fired > 0 && currentUa > 0) {
      dose.chargeNc += (fired * currentUa * this.#primaryUs) / 1000;
      dose.netChargeNc += (fired * (currentUa * this.#primaryUs - (currentUa / this.#secondaryDivisor) * this.#secondaryUs)) / 1000;
    }
  }
}
