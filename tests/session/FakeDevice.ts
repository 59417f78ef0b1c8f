/**
 * A scripted StimulatorDevice for the engine's state-machine tests: plays the board's channel states on
 * the clock (ramping-up → holding → ramping-down → idle at the programmed times; STOP ramps down), and
 * can misbehave on request. Every call is logged with the clock time.
 */
import type { ChannelStatus, InfoMessage, Program, StatusMessage, ValidationContext, ValidationResult } from '../../firmware-protocol/src/index.ts';
import { validateProgram } from '../../firmware-protocol/src/index.ts';
import type { VirtualClock } from '../../hardware-mock/src/clock.ts';
import type { TimerId } from '../../src/lib/clock.ts';
import type { ConnectionState, DeviceEvents, DeviceFault, LinkHealth, StimulatorDevice } from '../../src/lib/device/types.ts';
import type { PortIdentity } from '../../src/lib/transport/Transport.ts';
import { ChannelLimits, type LimitsSettings } from '../../src/lib/device/ChannelLimits.ts';
import type { DensityOverride } from '../../src/lib/device/densityOverride.ts';
import { PADS_5X5_CM2 } from '../fixtures/electrodes.ts';

export const FAKE_CAPS = { channelCount: 2, maxAmplitudeUa: 80_000, maxPulseWidthUs: 400, minFrequencyDeciHz: 10, maxFrequencyDeciHz: 1500, maxSlewUaPerS: 10_000, complianceMv: 80_000 };

export interface Call {
  name: string;
  args: unknown[];
  atMs: number;
}

export class FakeDevice implements StimulatorDevice {
  state: ConnectionState = 'ready';
  info: InfoMessage = {
    type: 'info',
    seq: 1,
    replyTo: 1,
    protocolVersion: 1,
    firmwareMajor: 1,
    firmwareMinor: 2,
    firmwarePatch: 3,
    watchdogMs: 500,
    telemetryRateHz: 1000,
    caps: FAKE_CAPS,
    serialNumber: 'FAKE-1',
  };
  identity: PortIdentity = { kind: 'simulated', label: 'Fake board' };
  linkHealth: LinkHealth = { drops: {} as LinkHealth['drops'], heartbeatsSent: 0, heartbeatAcks: 0, lastRxMs: null, lastRttMs: null };
  readonly #limits = new ChannelLimits();
  readonly calls: Call[] = [];
  /** Awaited inside each call before it resolves (tests inspect the store here). */
  onCall: ((call: Call) => Promise<void> | void) | null = null;
  /** Misbehaviours. */
  neverIdle = false;
  failNext: Partial<Record<string, Error>> = {};
  #listeners = new Map<keyof DeviceEvents, Set<(...args: never[]) => void>>();
  #program = new Map<number, Program>();
  #channel = new Map<number, ChannelStatus>();
  #timers: TimerId[] = [];

  readonly clock: VirtualClock;
  constructor(clock: VirtualClock) {
    this.clock = clock;
    this.#limits.set({ electrodeAreasCm2: PADS_5X5_CM2 });
  }

  get validationContext(): ValidationContext {
    return this.#limits.shared(FAKE_CAPS);
  }
  validationContextFor(channel: number): ValidationContext {
    return this.#limits.contextFor(FAKE_CAPS, channel);
  }
  setLimitsContext(context: LimitsSettings): void {
    this.#limits.set(context);
  }
  setDensityOverride(channel: number, override: DensityOverride | null): void {
    this.#limits.setDensityOverride(channel, override);
  }
  densityOverride(channel: number): DensityOverride | null {
    return this.#limits.densityOverride(channel);
  }
  validate(program: Program): ValidationResult {
    return this.#limits.requireElectrode(program.channel, validateProgram(program, this.validationContextFor(program.channel)));
  }
  async connect(): Promise<InfoMessage> {
    return this.info;
  }
  async disconnect(): Promise<void> {}

  async #call(name: string, args: unknown[]): Promise<void> {
    const call = { name, args, atMs: this.clock.now() };
    this.calls.push(call);
    await this.onCall?.(call);
    const error = this.failNext[name];
    if (error) {
      delete this.failNext[name];
      throw error;
    }
  }

  async setProgram(program: Program): Promise<Program> {
    await this.#call('setProgram', [program]);
    this.#program.set(program.channel, { ...program });
    return { ...program };
  }

  async start(channel: number): Promise<void> {
    await this.#call('start', [channel]);
    const p = this.#program.get(channel)!;
    this.#clearTimers();
    this.#set(channel, 'ramping-up', p.amplitudeUa);
    this.#after(p.rampUpMs, () => this.#set(channel, 'holding', p.amplitudeUa));
    if (!this.neverIdle) {
      this.#after(p.durationMs - p.rampDownMs, () => this.#set(channel, 'ramping-down', 0));
      this.#after(p.durationMs, () => this.#set(channel, 'idle', 0));
    }
  }

  async stop(channel: number): Promise<void> {
    await this.#call('stop', [channel]);
    if (this.neverIdle) return;
    const p = this.#program.get(channel)!;
    this.#clearTimers();
    this.#set(channel, 'ramping-down', 0);
    this.#after(p.rampDownMs, () => this.#set(channel, 'idle', 0));
  }

  async setAmplitude(channel: number, amplitudeUa: number): Promise<number> {
    await this.#call('setAmplitude', [channel, amplitudeUa]);
    return amplitudeUa;
  }

  estop(): Promise<void> {
    // Synchronous part first: that is what "ESTOP goes out before anything else" means.
    this.calls.push({ name: 'estop', args: [], atMs: this.clock.now() });
    this.#clearTimers();
    for (const ch of this.#channel.keys()) this.#set(ch, 'idle', 0);
    return Promise.resolve();
  }

  async clearFault(): Promise<void> {
    await this.#call('clearFault', []);
  }
  async measureImpedance(): Promise<{ impedanceOhm: number; ok: boolean }> {
    return { impedanceOhm: 1000, ok: true };
  }
  async getStatus(): Promise<StatusMessage> {
    await this.#call('getStatus', []);
    return this.#status(1);
  }

  on<E extends keyof DeviceEvents>(event: E, listener: DeviceEvents[E]): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as (...args: never[]) => void);
    return () => set.delete(listener as (...args: never[]) => void);
  }

  emit<E extends keyof DeviceEvents>(event: E, ...args: Parameters<DeviceEvents[E]>): void {
    for (const l of this.#listeners.get(event) ?? []) (l as unknown as (...a: Parameters<DeviceEvents[E]>) => void)(...args);
  }

  listenerCount(): number {
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  fault(fault: DeviceFault): void {
    this.#clearTimers();
    this.emit('fault', fault);
  }

  lose(): void {
    this.#clearTimers();
    const previous = this.state;
    this.state = 'lost';
    this.emit('state', 'lost', previous);
  }

  channelState(channel: number): ChannelStatus['state'] {
    return this.#channel.get(channel)?.state ?? 'idle';
  }

  callNames(): string[] {
    return this.calls.filter((c) => c.name !== 'getStatus').map((c) => c.name);
  }

  #set(channel: number, state: ChannelStatus['state'], amplitudeUa: number): void {
    this.#channel.set(channel, { channel, state, amplitudeUa, targetUa: amplitudeUa, elapsedMs: 0 });
    this.emit('status', this.#status(0));
  }

  #status(replyTo: number): StatusMessage {
    return { type: 'status', seq: 1, replyTo, uptimeMs: this.clock.now(), fault: null, helloDone: true, channels: [...this.#channel.values()] };
  }

  #after(ms: number, fn: () => void): void {
    this.#timers.push(this.clock.setTimeout(fn, ms));
  }
  #clearTimers(): void {
    for (const t of this.#timers) this.clock.clearTimeout(t);
    this.#timers = [];
  }
}
