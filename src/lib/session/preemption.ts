/**
 * How a reducing command (stop, pause, lower, ESTOP) cuts short the raises still waiting on storage: each
 * reducing command fires the current Preemption, and a raise racing its record write against it gives
 * up with Superseded, having sent nothing.
 */

/** A raising command found the session no longer live after an await (nothing of it was sent). */
export class Superseded extends Error {
  override name = 'Superseded';
}

/** What a wait that a reducing command cut short resolves with. */
export const PREEMPTED = Symbol('preempted');

export interface Preemption {
  promise: Promise<typeof PREEMPTED>;
  fire: () => void;
}

export function newPreemption(): Preemption {
  let fire!: () => void;
  const promise = new Promise<typeof PREEMPTED>((resolve) => (fire = () => resolve(PREEMPTED)));
  return { promise, fire };
}
