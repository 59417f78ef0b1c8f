/**
 * Every record says which software ran it (name, version, build), so a result can be traced to the exact
 * software that produced it: in the record header, in the record file (which the app, the CLI and the
 * lab server all read back), and in the sessions CSV. Older records without it still read back.
 */
import { describe, expect, test } from 'vitest';
import { exportRecordJson, parseRecordFile } from '../../src/lib/session/exportRecordJson.ts';
import { exportSessionsCsv } from '../../src/lib/storage/exportSessionsCsv.ts';
import { plan, PROGRAM } from '../storage/helpers.ts';
import { rig } from './rig.ts';

const SOFTWARE = { name: 'StimBench app', version: '9.8.7', build: 'abc1234567-202612080500Z' };

async function runShortSession(software?: typeof SOFTWARE) {
  const r = await rig();
  const engine = r.engine(software ? { software } : {});
  const starting = engine.start(plan({ ...PROGRAM, durationMs: 5_000, rampUpMs: 1_000, rampDownMs: 1_000 }));
  await r.clock.advance(50);
  await starting;
  let done = false;
  engine.finished.then(() => (done = true), () => (done = true));
  await r.runUntil(() => done, 60_000, 500);
  const record = await engine.finished;
  const full = await r.store.getFull(record.id);
  await r.close();
  return full;
}

describe('the software that ran a session is in its record', () => {
  test('header, record file and sessions CSV carry name, version and build', async () => {
    const full = await runShortSession(SOFTWARE);
    expect(full.record.software).toEqual(SOFTWARE);
    const readBack = parseRecordFile(JSON.parse(exportRecordJson(full, Date.UTC(2026, 11, 8))));
    expect(readBack.record.software).toEqual(SOFTWARE);
    const [header, row] = exportSessionsCsv([full.record]).trim().split(/\r?\n/);
    const columns = header!.split(',');
    const cells = row!.split(',');
    expect(cells[columns.indexOf('software_version')]).toBe('StimBench app 9.8.7');
    expect(cells[columns.indexOf('software_build')]).toBe(SOFTWARE.build);
  });

  test('a record made without it (older software, or a test rig) still reads back, with empty CSV cells', async () => {
    const full = await runShortSession();
    expect(full.record.software).toBeUndefined();
    expect(parseRecordFile(JSON.parse(exportRecordJson(full, 0))).record.software).toBeUndefined();
    const [header, row] = exportSessionsCsv([full.record]).trim().split(/\r?\n/);
    expect(row!.split(',')[header!.split(',').indexOf('software_build')]).toBe('');
  });
});
