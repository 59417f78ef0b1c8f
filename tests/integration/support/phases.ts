/** Bring a rig to a stimulation phase of PROGRAM (4 s up, hold, 2 s down). */
import { expect } from 'vitest';
import { PROGRAM, settle, stimulate, type Rig } from './rig.ts';

export type Phase = 'ramping-up' | 'holding' | 'ramping-down';
export const PHASES: Phase[] = ['ramping-up', 'holding', 'ramping-down'];

export async function enterPhase(rig: Rig, phase: Phase): Promise<void> {
  if (phase === 'ramping-up') await stimulate(rig, 1_000);
  else if (phase === 'holding') await stimulate(rig, 10_000);
  else {
    await stimulate(rig, 10_000);
    await settle(rig.clock, rig.client.stop(PROGRAM.channel));
    await rig.clock.advance(500);
  }
  expect(rig.board.channelStatus(0).state).toBe(phase);
  expect(rig.board.outputUa(0)).toBeGreaterThan(0);
}

/** Record every non-zero output sample after a given time (to prove nothing was delivered past a deadline). */
export function watchOutputAfter(rig: Rig) {
  const late: { channel: number; atMs: number; currentUa: number }[] = [];
  let deadline = Number.POSITIVE_INFINITY;
  const off = rig.board.onSample((channel, atMs, currentUa) => {
    if (atMs > deadline && currentUa > 0) late.push({ channel, atMs, currentUa });
  });
  return {
    late,
    setDeadline: (ms: number) => {
      deadline = ms;
    },
    stop: off,
  };
}
