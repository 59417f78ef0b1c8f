/**
 * The electrode pads on each channel, chosen by the user (a common pad size or an entered area).
 * Persisted in localStorage so a bench keeps its pads across reloads; shown on every channel card, and
 * required before any program is sent on that channel. Storage is injected for tests.
 */
import { ELECTRODE_PADS, electrodeAreaProblem } from '../../lib/device/electrodeArea.ts';

export interface ElectrodeChoice {
  /** One of ELECTRODE_PADS, or null for an entered area. */
  padId: string | null;
  areaCm2: number;
}

const KEY = 'stimbench.electrodes.v1';

function parse(raw: string | null): Map<number, ElectrodeChoice> {
  const out = new Map<number, ElectrodeChoice>();
  if (!raw) return out;
  try {
    const v = JSON.parse(raw) as Record<string, { padId?: unknown; areaCm2?: unknown }>;
    for (const [key, choice] of Object.entries(v)) {
      const channel = Number(key);
      // Anything implausible is dropped: the channel then asks for its pads again.
      if (!Number.isInteger(channel) || channel < 0 || electrodeAreaProblem(choice.areaCm2) !== null) continue;
      const pad = ELECTRODE_PADS.find((p) => p.id === choice.padId);
      out.set(channel, pad ? { padId: pad.id, areaCm2: pad.areaCm2 } : { padId: null, areaCm2: choice.areaCm2 as number });
    }
  } catch {
    // A corrupt entry must not stop the app from loading; every channel asks for its pads again.
  }
  return out;
}

export class ElectrodeState {
  #choices = $state<Map<number, ElectrodeChoice>>(new Map());
  readonly #storage: Pick<Storage, 'getItem' | 'setItem'> | null;

  constructor(storage: Pick<Storage, 'getItem' | 'setItem'> | null = globalThis.localStorage ?? null) {
    this.#storage = storage;
    this.#choices = parse(storage?.getItem(KEY) ?? null);
  }

  choice(channel: number): ElectrodeChoice | null {
    return this.#choices.get(channel) ?? null;
  }
  areaCm2(channel: number): number | null {
    return this.#choices.get(channel)?.areaCm2 ?? null;
  }
  /** Every chosen area by channel index, as the device's limits context takes it. */
  get areasCm2(): Record<number, number> {
    return Object.fromEntries([...this.#choices].map(([c, choice]) => [c, choice.areaCm2]));
  }

  /** Choose a pad size or an entered area. Returns the problem in plain words (nothing changed), or null. */
  set(channel: number, choice: ElectrodeChoice): string | null {
    const pad = choice.padId === null ? null : ELECTRODE_PADS.find((p) => p.id === choice.padId);
    if (choice.padId !== null && !pad) return `unknown pad size "${choice.padId}"`;
    const areaCm2 = pad ? pad.areaCm2 : choice.areaCm2;
    const problem = electrodeAreaProblem(areaCm2);
    if (problem) return problem;
    const next = new Map(this.#choices);
    next.set(channel, { padId: pad ? pad.id : null, areaCm2 });
    this.#choices = next;
    this.#storage?.setItem(KEY, JSON.stringify(Object.fromEntries(next)));
    return null;
  }
}
