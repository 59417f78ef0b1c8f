/**
 * A raised current-density limit, armed deliberately for the NEXT session only: the operator types the
 * limit and the reason and confirms. It is held in memory (never stored), shown in the STOP bar while
 * armed or in use, handed to the session engine (which applies it to the board's limits for that session
 * and records it), and cleared when that session ends.
 */
import { densityOverrideProblem, type DensityOverride } from '../../lib/device/densityOverride.ts';

export class DensityOverrideState {
  #armed = $state<DensityOverride | null>(null);
  #inUse = $state(false);

  /** The override the next (or the running) session uses, or null. */
  get armed(): DensityOverride | null {
    return this.#armed;
  }
  /** True while a session runs under it. */
  get inUse(): boolean {
    return this.#inUse;
  }

  /** Arm an override. Returns the problem in plain words (nothing armed), or null. */
  arm(override: DensityOverride): string | null {
    const problem = densityOverrideProblem(override);
    if (problem) return problem;
    this.#armed = { limitUaPerCm2: override.limitUaPerCm2, reason: override.reason.trim() };
    return null;
  }

  /** A session started with the armed override. */
  markInUse(): void {
    if (this.#armed) this.#inUse = true;
  }

  /** Withdraw it before use, or end it with its session. */
  clear(): void {
    this.#armed = null;
    this.#inUse = false;
  }
}
