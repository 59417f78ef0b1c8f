/**
 * Lab settings that outlive any component: lab caps (tighten only), lab server. Persisted in
 * localStorage (small, synchronous, survives reloads). Storage is injected for tests.
 *
 * Not here on purpose: the electrode area is chosen per channel (electrodes.svelte.ts), and a raised
 * current-density limit is a per-session override with a typed reason (densityOverride.svelte.ts), never
 * a stored setting. Older versions stored both here; they are dropped on load and the entry rewritten,
 * so a forgotten override can never come back.
 */
import type { LabCap } from '../../../firmware-protocol/src/index.ts';

export interface SettingsData {
  labCap: LabCap;
  labServerUrl: string;
  labToken: string;
}

const KEY = 'stimbench.settings.v1';
const DEFAULTS: SettingsData = { labCap: {}, labServerUrl: '', labToken: '' };
/** Keys of older versions that must not survive: a global electrode area and the global density raise. */
const RETIRED = { electrodeAreaCm2: true, maxCurrentDensityUaPerCm2: true } as const;
/**
 * Lab caps a setting may hold (each only lowers the mode table): every LabCap key but the retired density
 * raise. Written as a record over LabCap's keys so a cap added to the protocol fails to compile here until
 * it is listed, instead of being silently dropped on load.
 */
const CAP_KEYS = Object.keys({
  maxAmplitudeUa: true,
  maxFrequencyDeciHz: true,
  maxPulseWidthUs: true,
  maxDurationMs: true,
} satisfies Record<Exclude<keyof LabCap, keyof typeof RETIRED>, true>) as Exclude<keyof LabCap, keyof typeof RETIRED>[];

function parse(raw: string | null): { data: SettingsData; hadRetired: boolean } {
  if (!raw) return { data: structuredClone(DEFAULTS), hadRetired: false };
  try {
    const v = JSON.parse(raw) as Partial<SettingsData> & { electrodeAreaCm2?: unknown };
    const labCap: LabCap = {};
    const src = (v.labCap ?? {}) as Record<string, unknown>;
    for (const k of CAP_KEYS) {
      const x = src[k];
      if (typeof x === 'number' && Number.isInteger(x) && x > 0) labCap[k] = x;
    }
    return {
      data: {
        labCap,
        labServerUrl: typeof v.labServerUrl === 'string' ? v.labServerUrl : '',
        labToken: typeof v.labToken === 'string' ? v.labToken : '',
      },
      hadRetired: 'electrodeAreaCm2' in v || 'maxCurrentDensityUaPerCm2' in src,
    };
  } catch {
    // A corrupt settings entry must not stop the app (or the STOP button) from loading.
    return { data: structuredClone(DEFAULTS), hadRetired: false };
  }
}

export class SettingsState {
  #data = $state<SettingsData>(structuredClone(DEFAULTS));
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | null;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null) {
    this.#storage = storage;
    const { data, hadRetired } = parse(storage?.getItem(KEY) ?? null);
    this.#data = data;
    if (hadRetired) this.#save();
  }

  get labCap(): LabCap {
    return this.#data.labCap;
  }
  get labServerUrl(): string {
    return this.#data.labServerUrl;
  }
  get labToken(): string {
    return this.#data.labToken;
  }

  update(patch: Partial<SettingsData>): void {
    const labCap = patch.labCap ? Object.fromEntries(Object.entries(patch.labCap).filter(([k]) => !(k in RETIRED))) : this.#data.labCap;
    this.#data = { ...this.#data, ...patch, labCap };
    this.#save();
  }

  #save(): void {
    this.#storage?.setItem(KEY, JSON.stringify(this.#data));
  }
}
