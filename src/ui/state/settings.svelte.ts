/**
 * Lab settings that outlive any component: lab caps, electrode area, lab server, display options.
 * Persisted in localStorage (small, synchronous, survives reloads). Storage is injected for tests.
 */
import type { LabCap } from '../../../firmware-protocol/src/index.ts';

export interface SettingsData {
  labCap: LabCap;
  /** Electrode area, cm² (null: not configured, so no density check). */
  electrodeAreaCm2: number | null;
  labServerUrl: string;
  labToken: string;
}

const KEY = 'stimbench.settings.v1';
const DEFAULTS: SettingsData = { labCap: {}, electrodeAreaCm2: null, labServerUrl: '', labToken: '' };

function parse(raw: string | null): SettingsData {
  if (!raw) return structuredClone(DEFAULTS);
  try {
    const v = JSON.parse(raw) as Partial<SettingsData>;
    const labCap: LabCap = {};
    const src = (v.labCap ?? {}) as Record<string, unknown>;
    for (const k of ['maxAmplitudeUa', 'maxFrequencyDeciHz', 'maxPulseWidthUs', 'maxDurationMs', 'maxCurrentDensityUaPerCm2'] as const) {
      const x = src[k];
      if (typeof x === 'number' && Number.isInteger(x) && x > 0) labCap[k] = x;
    }
    const area = v.electrodeAreaCm2;
    return {
      labCap,
      electrodeAreaCm2: typeof area === 'number' && Number.isFinite(area) && area > 0 ? area : null,
      labServerUrl: typeof v.labServerUrl === 'string' ? v.labServerUrl : '',
      labToken: typeof v.labToken === 'string' ? v.labToken : '',
    };
  } catch {
    // A corrupt settings entry must not stop the app (or the STOP button) from loading.
    return structuredClone(DEFAULTS);
  }
}

export class SettingsState {
  #data = $state<SettingsData>(structuredClone(DEFAULTS));
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | null;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null) {
    this.#storage = storage;
    this.#data = parse(storage?.getItem(KEY) ?? null);
  }

  get labCap(): LabCap {
    return this.#data.labCap;
  }
  get electrodeAreaCm2(): number | null {
    return this.#data.electrodeAreaCm2;
  }
  get labServerUrl(): string {
    return this.#data.labServerUrl;
  }
  get labToken(): string {
    return this.#data.labToken;
  }
  /** True when the lab raised the current-density limit above the IEC warning level. */
  get densityOverridden(): boolean {
    return (this.#data.labCap.maxCurrentDensityUaPerCm2 ?? 0) > 2000;
  }

  update(patch: Partial<SettingsData>): void {
    this.#data = { ...this.#data, ...patch };
    this.#storage?.setItem(KEY, JSON.stringify(this.#data));
  }
}
