/**
 * The daily cap belongs to the person, not the channel: records carry a pseudonymous participant code,
 * and a session is admitted against that participant's stimulation over every channel, with overlapping
 * sessions added (dailyUsage.ts). Through the real client and the simulated board.
 */
import { describe, expect, test } from 'vitest';
import type { SessionEngine, StartOptions } from '../../src/lib/session/SessionEngine.ts';
import type { RecordEvent, SessionRecord } from '../../src/lib/session/recordTypes.ts';
import { plan, PROGRAM, recordOf } from '../storage/helpers.ts';
import { rig, type Rig } from './rig.ts';

const H = 3_600_000;
const MIN = 60_000;

/** Start and let START reach the board (the clock must move for the board's replies). */
async function start(r: Rig, engine: SessionEngine, p = plan(), options: StartOptions = {}): Promise<void> {
  let settled = false;
  const starting = engine.start(p, options).finally(() => (settled = true));
  starting.catch(() => {});
  await r.runUntil(() => settled, 5_000, 20);
  await starting;
}

/** Duration of the first program the engine sent (the SET_PROGRAM command event), ms. */
async function firstRunMs(r: Rig, engine: SessionEngine): Promise<number> {
  const events = await r.store.getEvents(engine.recordId!);
  const command = events.find((e): e is Extract<RecordEvent, { kind: 'command' }> => e.kind === 'command' && e.command === 'setProgram');
  return command!.program!.durationMs;
}

function usedOnChannel(channel: number, activeMs: number, nowWallMs: number, participant: string): SessionRecord {
  return recordOf(`used-${channel}-${participant}`, {
    status: 'closed',
    outcome: 'completed',
    createdWallMs: nowWallMs - activeMs - MIN,
    endedWallMs: nowWallMs - MIN,
    participant,
    plan: plan({ ...PROGRAM, channel }),
    dose: [{ channel, activeMs, amplitudeIntegralUaMs: 0, chargeUc: 0, peakUa: 0, samples: 0, sampleIntervalUs: 1000 }],
  });
}

describe('daily cap per participant', () => {
  test('time on channel 1 counts for the same person on channel 2; another participant has their own cap', async () => {
    const r = await rig();
    await r.store.createRecord(usedOnChannel(0, 12 * H - 10 * MIN, r.clock.wallNow(), 'self'));
    // The same person on the other channel: only the 10 min left of the 12 h cap.
    const self = r.engine();
    await start(r, self, plan({ ...PROGRAM, channel: 1, durationMs: H }));
    expect(await firstRunMs(r, self)).toBe(10 * MIN);
    const events = await r.store.getEvents(self.recordId!);
    expect(events.find((e) => e.kind === 'limit')).toMatchObject({ limit: 'daily-cap', valueMs: 10 * MIN });
    expect(await r.store.getRecord(self.recordId!)).toMatchObject({ participant: 'self' });
    await self.estop();
    // Another participant on the same bench: the full hour.
    const other = r.engine();
    await r.client.clearFault();
    await start(r, other, plan({ ...PROGRAM, channel: 1, durationMs: H }), { participant: 'P01' });
    expect(await firstRunMs(r, other)).toBe(H);
    expect(await r.store.getRecord(other.recordId!)).toMatchObject({ participant: 'p01' });
    await other.estop();
    await r.close();
  });

  test('the cap used up on channel 1 refuses the same person on channel 2 with nothing sent', async () => {
    const r = await rig();
    await r.store.createRecord(usedOnChannel(0, 12 * H, r.clock.wallNow(), 'self'));
    const engine = r.engine();
    const before = (await r.store.listRecords()).length;
    await expect(engine.start(plan({ ...PROGRAM, channel: 1 }))).rejects.toMatchObject({ code: 'DAILY_CAP', message: expect.stringMatching(/participant "self".*every channel/) });
    expect(await r.store.listRecords()).toHaveLength(before);
    expect(r.board.program(1)).toBe(null);
    expect(r.board.outputUa(1)).toBe(0);
    await r.close();
  });

  test('two sessions for one person started at the same moment on both channels share the cap (8 h + 4 h, not 8 h + 8 h)', async () => {
    const r = await rig();
    const a = r.engine();
    const b = r.engine();
    let settled = 0;
    const both = Promise.all([
      a.start(plan({ ...PROGRAM, channel: 0, durationMs: 8 * H })).finally(() => settled++),
      b.start(plan({ ...PROGRAM, channel: 1, durationMs: 8 * H })).finally(() => settled++),
    ]);
    both.catch(() => {});
    await r.runUntil(() => settled === 2, 5_000, 20);
    await both;
    expect([await firstRunMs(r, a), await firstRunMs(r, b)]).toEqual([8 * H, 4 * H]);
    await a.estop();
    await r.close();
  });

  test('a participant code that is not a short pseudonym is refused before anything is sent', async () => {
    const r = await rig();
    for (const bad of ['Jane Doe', 'jane@example.org', 'p-19850312', '', 'a-code-far-too-long-for-this']) {
      await expect(r.engine().start(plan(), { participant: bad })).rejects.toMatchObject({ code: 'PARTICIPANT_INVALID' });
    }
    expect(await r.store.listRecords()).toEqual([]);
    expect(r.board.program(0)).toBe(null);
    await r.close();
  });
});
