/**
 * The app's connection to one board: which transport, the StimulatorClient, its state, identity,
 * caps, faults and link health. ESTOP goes straight to the client, never through reactive state, and
 * reaches every board whose link may still be writable: the connected one and any still disconnecting.
 * Disconnecting while output is on stops it first (ramped STOP, ESTOP if the ramp does not finish in
 * time) and tells the user so.
 */
import type { ChannelStatus, InfoMessage } from '../../../firmware-protocol/src/index.ts';
import type { LimitsSettings } from '../../lib/device/ChannelLimits.ts';
import { NotConnectedError } from '../../lib/device/errors.ts';
import type { ConnectionState, DeviceFault, LinkHealth, StimulatorDevice } from '../../lib/device/types.ts';
import type { PortIdentity, TransportKind } from '../../lib/transport/Transport.ts';
import type { WorkerSerialPort } from '../../lib/transport/worker-board/WorkerSerialPort.ts';
import { TelemetryBuffer } from './TelemetryBuffer.ts';
import { openDevice, type OpenedDevice } from './openDevice.ts';
import { errorText } from '../format.ts';

const LAST_BOARD_KEY = 'stimbench.lastBoard.v1';

export class BoardConnectionState {
  #state = $state<ConnectionState>('disconnected');
  #info = $state<InfoMessage | null>(null);
  #identity = $state<PortIdentity | null>(null);
  #faults = $state<DeviceFault[]>([]);
  #link = $state<LinkHealth | null>(null);
  #error = $state<string | null>(null);
  #busy = $state(false);
  #notice = $state<string | null>(null);
  #lastBoard = $state<PortIdentity | null>(null);
  #channels = $state<ChannelStatus[]>([]);
  #device: StimulatorDevice | null = null;
  #opened: OpenedDevice | null = null;
  /** Reactive copy of the opened simulated board's port: the fault panel must appear the moment it connects. */
  #simulatedPort = $state.raw<WorkerSerialPort | null>(null);
  /** When the link was seen lost (wall ms), so link-health figures are shown as stopped, not as live. */
  #lostAtMs = $state<number | null>(null);
  /** Devices being disconnected: their link may still be open, so ESTOP must still reach them. */
  readonly #closing = new Set<StimulatorDevice>();
  /** Other things that may drive the output without a client (Board check): ESTOP reaches them too. */
  readonly #otherStops = new Set<() => void>();
  #linkTimer: ReturnType<typeof setInterval> | undefined;
  readonly telemetry = new TelemetryBuffer(2);
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  #limits: LimitsSettings = {};

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null) {
    this.#storage = storage;
    try {
      const raw = storage?.getItem(LAST_BOARD_KEY);
      this.#lastBoard = raw ? (JSON.parse(raw) as PortIdentity) : null;
    } catch {
      this.#lastBoard = null;
    }
  }

  get state(): ConnectionState {
    return this.#state;
  }
  get info(): InfoMessage | null {
    return this.#info;
  }
  get identity(): PortIdentity | null {
    return this.#identity;
  }
  get faults(): DeviceFault[] {
    return this.#faults;
  }
  get latestFault(): DeviceFault | null {
    return this.#faults.at(-1) ?? null;
  }
  get linkHealth(): LinkHealth | null {
    return this.#link;
  }
  get error(): string | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** What a disconnect did to the output, in plain words (null when there is nothing to say). */
  get notice(): string | null {
    return this.#notice;
  }
  get lastBoard(): PortIdentity | null {
    return this.#lastBoard;
  }
  /** The board's latest per-channel status (state, delivered and target amplitude). */
  get channels(): ChannelStatus[] {
    return this.#channels;
  }
  get device(): StimulatorDevice | null {
    return this.#device;
  }
  /** The simulated board's port (fault injection), when connected to the simulated board. */
  get simulatedPort(): WorkerSerialPort | null {
    return this.#simulatedPort;
  }
  /** Wall time the link was lost at, while it stays lost (null otherwise). */
  get linkLostAtMs(): number | null {
    return this.#lostAtMs;
  }
  get connected(): boolean {
    return this.#state === 'ready' || this.#state === 'stimulating' || this.#state === 'faulted';
  }

  /** Lab cap and each channel's electrode area join every validation from here on. */
  setLimits(limits: LimitsSettings): void {
    this.#limits = limits;
    try {
      this.#device?.setLimitsContext(limits);
    } catch (e) {
      // Refused as a whole (implausible area): the client keeps its previous limits.
      this.#error = errorText(e);
    }
  }

  async connect(kind: TransportKind, options: { sameAs?: PortIdentity } = {}): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#error = null;
    this.#notice = null;
    try {
      await this.#teardown();
      const opened = await openDevice(kind, options.sameAs);
      this.#opened = opened;
      this.#simulatedPort = opened.simulatedPort;
      // Test/benchmark hook for the SIMULATED board only (fault injection, output snapshots); a real
      // board is never reachable this way.
      (globalThis as { __stimbenchSim?: WorkerSerialPort | null }).__stimbenchSim = opened.simulatedPort;
      const device = opened.device;
      this.#device = device;
      device.setLimitsContext(this.#limits);
      device.on('state', (s) => {
        this.#state = s;
        this.#lostAtMs = s === 'lost' ? (this.#lostAtMs ?? Date.now()) : null;
      });
      device.on('fault', (f) => (this.#faults = [...this.#faults.slice(-49), f]));
      device.on('telemetry', (m) => this.telemetry.push(m));
      device.on('status', (m) => (this.#channels = m.channels));
      this.telemetry.clear();
      this.#faults = [];
      const info = await device.connect();
      this.#info = info;
      this.#identity = device.identity;
      this.#state = device.state;
      this.#lastBoard = device.identity;
      this.#storage?.setItem(LAST_BOARD_KEY, JSON.stringify(device.identity));
      this.#linkTimer = setInterval(() => (this.#link = structuredClone(device.linkHealth)), 500);
    } catch (e) {
      this.#error = errorText(e);
      await this.#teardown();
    } finally {
      this.#busy = false;
    }
  }

  async disconnect(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#notice = null;
    try {
      await this.#teardown();
    } finally {
      this.#state = 'disconnected';
      // No board: its details must not stay on screen as if it were still there.
      this.#info = null;
      this.#identity = null;
      this.#busy = false;
    }
  }

  /**
   * Immediate stop of every channel. Called from the STOP button, Space, Escape and page hide. Sent to
   * the connected board and to any board still disconnecting (its link may still be writable).
   */
  estop(): Promise<void> {
    for (const stop of this.#otherStops) stop();
    const targets = new Set<StimulatorDevice>(this.#closing);
    if (this.#device) targets.add(this.#device);
    if (targets.size === 0) return Promise.resolve();
    const sends = [...targets].map((device) => {
      const closing = this.#closing.has(device);
      return device.estop().catch((e: unknown) => {
        // The link of a board being disconnected closed under the ESTOP: the disconnect itself stops
        // the output before it closes the link (ramped STOP, then ESTOP), so there is nothing to report.
        if (closing && e instanceof NotConnectedError) return;
        this.#error = `ESTOP could not be sent (${e instanceof Error ? e.message : String(e)}); the board's watchdog will stop output.`;
      });
    });
    return Promise.all(sends).then(() => {});
  }

  /** Let ESTOP (STOP, Space, Escape, leaving the page) reach something else that drives the output. Returns the undo. */
  addEstopTarget(stop: () => void): () => void {
    this.#otherStops.add(stop);
    return () => this.#otherStops.delete(stop);
  }

  /** Show a line in the STOP bar (null clears it): what is driving the output when no client is. */
  announce(text: string | null): void {
    this.#notice = text;
  }

  async clearFault(): Promise<void> {
    try {
      await this.#device?.clearFault();
      this.#error = null;
    } catch (e) {
      this.#error = errorText(e);
    }
  }

  async #teardown(): Promise<void> {
    clearInterval(this.#linkTimer);
    this.#linkTimer = undefined;
    const opened = this.#opened;
    this.#opened = null;
    this.#simulatedPort = null;
    this.#lostAtMs = null;
    this.#device = null;
    if (!opened) {
      this.#link = null;
      return;
    }
    const device = opened.device;
    const outputOn = device.state === 'stimulating' || this.#channels.some((c) => c.state !== 'idle');
    // Whether an ESTOP went out while closing (the user's, or the client's when the ramp did not finish).
    let cut = false;
    const offCommand = device.on('command', (e) => {
      if (e.kind === 'sent' && e.message.type === 'estop') cut = true;
    });
    // Until close() returns, the link may still be writable: STOP, Space and Escape must reach it.
    this.#closing.add(device);
    if (outputOn) this.#notice = 'Disconnecting: the output is on, so it is being ramped down to 0 mA first…';
    try {
      await opened.close();
    } finally {
      this.#closing.delete(device);
      offCommand();
      this.#link = null;
      this.#channels = [];
    }
    if (outputOn) {
      this.#notice = cut
        ? 'The output was on when you disconnected. It was cut to 0 mA at once (emergency stop) before the link closed.'
        : 'The output was on when you disconnected. It was ramped down to 0 mA before the link closed.';
    }
  }
}
