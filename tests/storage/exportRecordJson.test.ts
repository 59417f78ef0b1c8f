import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import { exportRecordJson, parseRecordFile } from '../../src/lib/session/exportRecordJson.ts';
import { RecordStore } from '../../src/lib/storage/RecordStore.ts';
import { SessionRecorder } from '../../src/lib/session/SessionRecorder.ts';
import { freshDb, PROGRAM, recordOf, telemetry } from './helpers.ts';

describe('record JSON export', () => {
  test('a complete, versioned document that parses back to the same record', async () => {
    const { db } = await freshDb();
    const store = new RecordStore(db);
    // A manual session for participant p01: the participant code, the manual mark and the live level change survive the round trip.
    const manual = recordOf('r1', { participant: 'p01', plan: { ...recordOf('r1').plan, label: 'Manual — channel 1', manual: true } });
    const recorder = await SessionRecorder.create(store, new VirtualClock(), manual);
    await recorder.append({ kind: 'user', action: 'start', valueUa: 2000 });
    await recorder.append({ kind: 'user', action: 'set-level', valueUa: 3000 });
    await recorder.append({ kind: 'command', command: 'setProgram', channel: 0, program: PROGRAM });
    await recorder.append({ kind: 'ack', command: 'setProgram', seq: 3, rttMs: 1.5, echo: { kind: 'program', program: PROGRAM } });
    await recorder.append({ kind: 'nack', command: 'start', seq: 4, code: 'impedanceFail', field: 'none', value: 0, bound: 0 });
    await recorder.append({ kind: 'board-status', channel: 0, state: 'holding', amplitudeUa: 10_000, targetUa: 10_000, elapsedMs: 3000, fault: null });
    await recorder.append({ kind: 'fault', source: 'board', code: 'electrodeOff', channel: 0, message: 'off', detail: 2_000_000 });
    for (let t = 0; t < 70_000; t += 50) recorder.telemetry(telemetry(0, t, 50, (ms) => Math.round(ms) % 7000));
    await recorder.close('fault', null, 'electrode off', 10_000);
    const full = await store.getFull('r1');
    const text = exportRecordJson(full, 123);
    const parsed = JSON.parse(text);
    expect(parsed).toMatchObject({ format: 'stimbench-record', version: 1, exportedWallMs: 123 });
    expect(parsed.summaries[1].meanUa).toHaveLength(10); // only filled seconds
    const back = parseRecordFile(parsed);
    expect(back.record).toEqual(full.record);
    expect(back.record).toMatchObject({ participant: 'p01', plan: { manual: true } });
    expect(back.events).toEqual(full.events);
    expect(back.summaries).toEqual(full.summaries);
    db.close();
  });

  test('a bad file names the bad field', () => {
    const file = {
      format: 'stimbench-record',
      version: 1,
      exportedWallMs: 0,
      record: recordOf('x'),
      events: [{ kind: 'pain', when: 'pre', nrs: 12, recordId: 'x', index: 0, monoMs: 0, wallMs: 0 }],
      summaries: [],
    };
    expect(() => parseRecordFile(file)).toThrow(/events\[0\]\.nrs/);
    expect(() => parseRecordFile({ ...file, version: 2 })).toThrow(/version/);
  });
});
