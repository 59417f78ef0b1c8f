/**
 * The simulated stimulator board: wiring of port ⇄ fault injector ⇄ firmware ⇄ output model on an
 * injected clock, and the observation and fault-injection API tests use. Contract: hardware-mock/src/index.ts
 * (the board side of PROTOCOL.md, as the StimulatorClient expects it).
 *
 *   host ── port.writable ─▶ FaultInjector.toBoard ─▶ Firmware.receive (FrameReceiver → handle) ─┐
 *   host ◀─ port.readable ◀─ FaultInjector.toHost  ◀─ Firmware (encodeFrame) ◀────────────────────┘
 *                              clock interval every telemetryBatchMs → Firmware.tick (OutputModel, TELEMETRY)
 */
import type { ChannelStatus, DropCounters, FaultCode, Message, Program } from '../../firmware-protocol/src/index.ts';
import { resolveBoardConfig, type BoardConfig, type SimulatedBoardOptions } from './BoardConfig.ts';
import type { TimerId } from './clock.ts';
import { BoardOptionError, SimulatedBoardError } from './errors.ts';
import { FaultInjector } from './FaultInjector.ts';
import { Firmware } from './Firmware.ts';
import type { BoardDose, SampleListener } from './OutputModel.ts';
import { SimulatedSerialPort } from './SimulatedSerialPort.ts';

export type FrameListener = (direction: 'in' | 'out', message: Message) => void;

export interface BoardStats {
  framesIn: number;
  framesOut: number;
  nacksSent: number;
  watchdogTrips: number;
  /** Frames the board's decoder dropped, by reason. */
  drops: DropCounters;
  /** Bytes for the host dropped because nobody read them (addition to the contract). */
  rxOverrunBytes: number;
}

export interface BoardInjector {
  electrodeOff(channel: number): void;
  electrodeOn(channel: number): void;
  unplug(): void;
  replug(): void;
  corruption(rate: number): void;
  loss(rate: number): void;
  latencyMs(ms: number): void;
  reset(): void;
  freeze(): void;
  unfreeze(): void;
}

export class SimulatedBoard {
  readonly port: SimulatedSerialPort;
  readonly inject: BoardInjector;
  readonly #config: BoardConfig;
  readonly #firmware: Firmware;
  readonly #link: FaultInjector;
  readonly #frameListeners: FrameListener[] = [];
  #tick: TimerId | null;
  #destroyed = false;

  constructor(options: SimulatedBoardOptions = {}) {
    const config = resolveBoardConfig(options);
    this.#config = config;
    this.#firmware = new Firmware(config, {
      transmit: (bytes) => this.#link.toHost(bytes),
      frame: (direction, message) => {
        for (const l of this.#frameListeners) l(direction, message);
      },
      framesObserved: () => this.#frameListeners.length > 0,
    });
    this.port = new SimulatedSerialPort({ usbVendorId: config.usbVendorId, usbProductId: config.usbProductId }, config.serialNumber, (bytes) => this.#link.toBoard(bytes));
    this.#link = new FaultInjector(
      config.clock,
      config.seed,
      (bytes) => this.#firmware.receive(bytes),
      (bytes) => this.port.deliver(bytes),
    );
    this.#tick = config.clock.setInterval(() => this.#firmware.tick(), config.telemetryBatchMs);
    const fw = this.#firmware;
    this.inject = {
      electrodeOff: (channel) => fw.electrodeOff(this.#checkChannel(channel)),
      electrodeOn: (channel) => fw.electrodeOn(this.#checkChannel(channel)),
      unplug: () => {
        // Bytes already on the wire are lost with the cable.
        this.#link.clear();
        this.port.unplug();
      },
      replug: () => this.port.replug(),
      corruption: (rate) => this.#link.setCorruption(rate),
      loss: (rate) => this.#link.setLoss(rate),
      latencyMs: (ms) => this.#link.setLatency(ms),
      reset: () => fw.brownOut(),
      freeze: () => fw.freeze(),
      unfreeze: () => fw.unfreeze(),
    };
  }

  /** USB serial number (also on `port.serialNumber`). */
  get serialNumber(): string {
    return this.#config.serialNumber;
  }

  get channelCount(): number {
    return this.#config.channelCount;
  }

  /** Peak amplitude delivered at this instant, µA (after compliance clipping; 0 = no output). */
  outputUa(channel: number): number {
    const c = this.#checkChannel(channel);
    return this.#firmware.model.deliveredUa(c, this.#sync());
  }

  /** As in STATUS, at this instant. */
  channelStatus(channel: number): ChannelStatus {
    const c = this.#checkChannel(channel);
    return this.#firmware.model.status(c, this.#sync());
  }

  /** The program accepted for this channel (a copy), or null. */
  program(channel: number): Program | null {
    return this.#firmware.program(this.#checkChannel(channel));
  }

  get fault(): FaultCode | null {
    return this.#firmware.fault;
  }

  get helloDone(): boolean {
    return this.#firmware.helloDone;
  }

  /** What was really delivered on `channel`, up to this instant. */
  dose(channel: number): BoardDose {
    const c = this.#checkChannel(channel);
    this.#sync();
    return this.#firmware.model.dose(c);
  }

  /**
   * Every output-model sample, on every channel, whether or not TELEMETRY is sent; atMs is clock time.
   * Samples are computed lazily (on the board's tick, on each frame, and when outputUa/channelStatus/dose
   * is read), so a listener sees exactly the samples from its subscription to its unsubscription.
   */
  onSample(listener: SampleListener): () => void {
    this.#sync();
    const off = this.#firmware.model.onSample(listener);
    return () => {
      if (!this.#destroyed) this.#sync();
      off();
    };
  }

  /** Every frame the board decoded ('in') or sent ('out'). */
  onFrame(listener: FrameListener): () => void {
    this.#frameListeners.push(listener);
    return () => {
      const i = this.#frameListeners.indexOf(listener);
      if (i >= 0) this.#frameListeners.splice(i, 1);
    };
  }

  get stats(): BoardStats {
    const s = this.#firmware.stats;
    return {
      framesIn: s.framesIn,
      framesOut: s.framesOut,
      nacksSent: s.nacksSent,
      watchdogTrips: s.watchdogTrips,
      drops: { ...this.#firmware.drops },
      rxOverrunBytes: this.port.rxOverrunBytes,
    };
  }

  /** Stop the tick and every timer, end the port's streams. The board does nothing afterwards. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (this.#tick !== null) this.#config.clock.clearInterval(this.#tick);
    this.#tick = null;
    this.#firmware.dispose();
    this.#link.clear();
    this.port.dispose();
  }

  /** Bring the output model up to this instant (samples, state changes, STATUS); returns the instant. */
  #sync(): number {
    const now = this.#config.clock.now();
    if (!this.#destroyed) this.#firmware.model.advanceTo(now);
    return now;
  }

  #checkChannel(channel: number): number {
    if (this.#destroyed) throw new SimulatedBoardError('DESTROYED', 'the board was destroyed (expected a live board)');
    if (!Number.isInteger(channel) || channel < 0 || channel >= this.#config.channelCount) {
      throw new BoardOptionError('channel', `an integer from 0 to ${this.#config.channelCount - 1}`, channel);
    }
    return channel;
  }
}
