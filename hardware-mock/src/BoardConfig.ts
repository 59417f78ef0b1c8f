/**
 * SimulatedBoard options (the contract in hardware-mock/src/index.ts), their defaults, and the resolved
 * configuration the board runs on. Options a real board could not have are refused with BoardOptionError.
 */
import { DEFAULT_WATCHDOG_MS, MAX_SERIAL_BYTES, type BoardCaps } from '../../firmware-protocol/src/index.ts';
import { realClock, type Clock } from './clock.ts';
import { DEFAULT_LOAD, type LoadModel } from './ElectrodeLoad.ts';
import { BoardOptionError } from './errors.ts';

export interface SimulatedBoardOptions {
  clock?: Clock;
  channelCount?: number;
  caps?: Partial<BoardCaps>;
  watchdogMs?: number;
  /** Samples per second per channel; 0 = no TELEMETRY frames (the output model then runs at 1 kHz). */
  telemetryRateHz?: number;
  /** One TELEMETRY frame per batch of this length, ms. Default 100 (= 100 samples at 1 kHz, the most a frame holds): half the frames of 50 ms batches, which doubles simulation speed headroom. */
  telemetryBatchMs?: number;
  seed?: number;
  serialNumber?: string;
  firmwareVersion?: [number, number, number];
  protocolVersions?: number[];
  usbVendorId?: number;
  usbProductId?: number;
  load?: LoadModel;
  /** TEST-ONLY: deliberate violations of PROTOCOL.md (see TestOnlyBreakages). Never set outside tests. */
  testOnlyBreakages?: TestOnlyBreakages;
}

/**
 * TEST-ONLY breakages that make the simulated board deliberately NON-CONFORMING, so the tests of the
 * conformance suite can show that each of its checks fails on a board that breaks the rule it checks
 * (a suite that cannot fail proves nothing). The app sets them in one place only: the in-browser
 * simulated board's defective firmware images (src/lib/transport/worker-board/simulatedFirmware.ts),
 * which let a user watch Board check fail; they never reach a real board.
 */
export interface TestOnlyBreakages {
  /** The firmware watchdog is never armed: silence never stops the output. */
  watchdogDisabled?: boolean;
  /** SET_PROGRAM and SET_AMPLITUDE skip the board's limit checks: out-of-limit values are ACKed and played. */
  acceptsEveryProgram?: boolean;
  /** The slew limit is ignored: a SET_AMPLITUDE increase jumps straight to the target (START still follows the program's own ramp). */
  noSlewLimit?: boolean;
}

/** Hardware caps of the simulated output stage (before any mode-table limit). */
export const DEFAULT_CAPS: Readonly<Omit<BoardCaps, 'channelCount'>> = {
  maxAmplitudeUa: 80_000,
  maxPulseWidthUs: 400,
  minFrequencyDeciHz: 10,
  maxFrequencyDeciHz: 1_500,
  maxSlewUaPerS: 10_000,
  complianceMv: 80_000,
};

/** pid.codes test VID 0x1209; PID 0x5354 ("ST"). */
export const DEFAULT_USB_VENDOR_ID = 0x1209;
export const DEFAULT_USB_PRODUCT_ID = 0x5354;
/** Output-model rate when telemetry is off, Hz: time still has to be sampled for ramps, dose and stops. */
export const MODEL_RATE_WITHOUT_TELEMETRY_HZ = 1_000;

export interface BoardConfig {
  clock: Clock;
  channelCount: number;
  caps: BoardCaps;
  watchdogMs: number;
  telemetryRateHz: number;
  /** Output-model sample interval, µs: round(1e6 / rate). Carried as u16 in TELEMETRY. */
  sampleIntervalUs: number;
  telemetryBatchMs: number;
  seed: number;
  serialNumber: string;
  firmwareVersion: [number, number, number];
  protocolVersions: number[];
  usbVendorId: number;
  usbProductId: number;
  load: LoadModel;
  testOnlyBreakages: Readonly<TestOnlyBreakages>;
}

function int(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new BoardOptionError(option, `an integer from ${min} to ${max}`, value);
  return value;
}

function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new BoardOptionError(option, 'a finite number > 0', value);
  return value;
}

export function resolveBoardConfig(options: SimulatedBoardOptions = {}): BoardConfig {
  const c = { ...DEFAULT_CAPS, ...options.caps };
  const channelCount = int('channelCount', options.channelCount ?? options.caps?.channelCount ?? 2, 1, 16);
  const caps: BoardCaps = {
    channelCount,
    maxAmplitudeUa: int('caps.maxAmplitudeUa', c.maxAmplitudeUa, 1, 0xffffffff),
    maxPulseWidthUs: int('caps.maxPulseWidthUs', c.maxPulseWidthUs, 1, 0xffff),
    minFrequencyDeciHz: int('caps.minFrequencyDeciHz', c.minFrequencyDeciHz, 1, 0xffff),
    maxFrequencyDeciHz: int('caps.maxFrequencyDeciHz', c.maxFrequencyDeciHz, c.minFrequencyDeciHz, 0xffff),
    maxSlewUaPerS: int('caps.maxSlewUaPerS', c.maxSlewUaPerS, 1, 0xffffffff),
    complianceMv: int('caps.complianceMv', c.complianceMv, 1, 0xffffffff),
  };
  // 16 Hz is the slowest rate whose interval fits TELEMETRY's u16 µs field.
  const telemetryRateHz = options.telemetryRateHz ?? 1_000;
  if (telemetryRateHz !== 0) int('telemetryRateHz', telemetryRateHz, 16, 10_000);
  const modelRate = telemetryRateHz || MODEL_RATE_WITHOUT_TELEMETRY_HZ;
  const serialNumber = options.serialNumber ?? 'SIM-0001';
  if (serialNumber.length > MAX_SERIAL_BYTES || !/^[\x20-\x7e]*$/.test(serialNumber)) {
    throw new BoardOptionError('serialNumber', `printable ASCII, at most ${MAX_SERIAL_BYTES} characters`, serialNumber);
  }
  const firmwareVersion = options.firmwareVersion ?? [1, 0, 0];
  firmwareVersion.forEach((v, i) => int(`firmwareVersion[${i}]`, v, 0, 255));
  const protocolVersions = options.protocolVersions ?? [1];
  if (protocolVersions.length === 0) throw new BoardOptionError('protocolVersions', 'at least one version', '[]');
  protocolVersions.forEach((v, i) => int(`protocolVersions[${i}]`, v, 1, 255));
  const load = options.load ?? DEFAULT_LOAD;
  return {
    clock: options.clock ?? realClock,
    channelCount,
    caps,
    watchdogMs: int('watchdogMs', options.watchdogMs ?? DEFAULT_WATCHDOG_MS, 1, 0xffff),
    telemetryRateHz,
    sampleIntervalUs: Math.round(1e6 / modelRate),
    telemetryBatchMs: int('telemetryBatchMs', options.telemetryBatchMs ?? 100, 1, 60_000),
    seed: int('seed', options.seed ?? 1, -0x80000000, 0xffffffff),
    serialNumber,
    firmwareVersion: [...firmwareVersion],
    protocolVersions: [...protocolVersions],
    usbVendorId: int('usbVendorId', options.usbVendorId ?? DEFAULT_USB_VENDOR_ID, 0, 0xffff),
    usbProductId: int('usbProductId', options.usbProductId ?? DEFAULT_USB_PRODUCT_ID, 0, 0xffff),
    load: {
      seriesOhm: positive('load.seriesOhm', load.seriesOhm),
      parallelOhm: positive('load.parallelOhm', load.parallelOhm),
      parallelNf: positive('load.parallelNf', load.parallelNf),
    },
    testOnlyBreakages: { ...options.testOnlyBreakages },
  };
}
