/**
 * `stimbench presets` (catalogue with the app's import checks) and `stimbench records` (list, show, export
 * in the app's formats, summary), the real binary in child processes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { describe, expect, test } from 'vitest';
import { parseRecordFile } from '../../src/lib/session/exportRecordJson.ts';
import { RecordFileSchema } from '../../src/lib/session/recordFileSchema.ts';
import { EVENT_CSV_COLUMNS } from '../../src/lib/storage/exportEventsCsv.ts';
import { SESSION_CSV_COLUMNS } from '../../src/lib/storage/exportSessionsCsv.ts';
import { FileRecordStore } from '../../src/lib/storage-node/index.ts';
import { jsonLines, ROOT, runStimbenchCli, tempDir } from './support.ts';

const PROGRAM = join(ROOT, 'tests/cli/fixtures/program-20s.json');

describe('stimbench presets', { timeout: 120_000 }, () => {
  test('list, export, and import with the app\'s checks: built-in ids refused, bad values refused naming the field, nothing written unless all passes; an imported preset runs', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const catalogue = join(dir, 'catalogue.json');
    const list = await runStimbenchCli(['presets', 'list', '--catalogue', catalogue]);
    expect(list.code).toBe(0);
    expect(jsonLines(list.stdout).find((l) => l.id === 'conventional-tens')).toMatchObject({ event: 'preset', builtin: true, mode: 'conventional' });

    const exported = join(dir, 'conventional.json');
    expect((await runStimbenchCli(['presets', 'export', 'conventional-tens', '--out', exported])).code).toBe(0);
    const file = JSON.parse(readFileSync(exported, 'utf8'));
    expect(file).toMatchObject({ format: 'stimbench-presets', version: 1, presets: [{ id: 'conventional-tens' }], programmes: [] });

    // The same id as a built-in: refused as the app refuses it.
    const collide = await runStimbenchCli(['presets', 'import', exported, '--catalogue', catalogue]);
    expect(collide.code).toBe(3);
    expect(collide.stderr).toContain('presets[0].id: id collides with a built-in preset');
    expect(existsSync(catalogue)).toBe(false);

    // A value outside the mode table: refused, naming the field.
    const bad = structuredClone(file);
    bad.presets[0].id = 'my-tens';
    bad.presets[0].program.frequencyDeciHz = 5000;
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(bad));
    const refused = await runStimbenchCli(['presets', 'import', join(dir, 'bad.json'), '--catalogue', catalogue]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('presets[0].program.frequencyDeciHz');
    expect(existsSync(catalogue)).toBe(false);

    const mine = structuredClone(file);
    mine.presets[0].id = 'my-tens';
    mine.presets[0].name = 'My short TENS';
    mine.presets[0].program.durationMs = 20_000;
    writeFileSync(join(dir, 'mine.json'), JSON.stringify(mine));
    const ok = await runStimbenchCli(['presets', 'import', join(dir, 'mine.json'), '--catalogue', catalogue]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(jsonLines(ok.stdout)[0]).toMatchObject({ event: 'imported', presets: 1, programmes: 0 });
    const userExport = await runStimbenchCli(['presets', 'export', '--catalogue', catalogue]);
    expect(JSON.parse(userExport.stdout).presets.map((p: { id: string }) => p.id)).toEqual(['my-tens']);
    const show = await runStimbenchCli(['presets', 'show', 'my-tens', '--catalogue', catalogue]);
    expect(jsonLines(show.stdout)[0]).toMatchObject({ event: 'preset', builtin: false, preset: { name: 'My short TENS' } });

    const run = await runStimbenchCli(['run', '--simulated', '--virtual-time', '--preset', 'my-tens', '--catalogue', catalogue, '--amplitude', '6', '--electrode-area', '25', '--records', join(dir, 'records')]);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).find((l) => l.event === 'started')).toMatchObject({ presetId: 'my-tens', targetUa: 6000 });
  });
});

describe('stimbench records', { timeout: 120_000 }, () => {
  test('list, show, export (JSON the app imports, events CSV, sessions CSV) and summary, also while another process holds the directory', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    for (const participant of ['p01', 'p02']) {
      const run = await runStimbenchCli(['run', '--simulated', '--virtual-time', '--program', PROGRAM, '--electrode-area', '25', '--participant', participant, '--records', dir]);
      expect(run.code, run.stderr).toBe(0);
    }
    // A session running elsewhere holds the lock: reading still works.
    const holder = await FileRecordStore.open(dir, { pid: process.ppid });
    try {
      const list = await runStimbenchCli(['records', 'list', '--records', dir]);
      expect(list.code, list.stderr).toBe(0);
      const records = jsonLines(list.stdout);
      expect(records.map((r) => r.participant)).toEqual(['p02', 'p01']);
      expect(records[0]).toMatchObject({ event: 'record', outcome: 'completed', targetUa: 8000 });
      const id = String(records[0]!.id);

      const json = await runStimbenchCli(['records', 'export', id.slice(0, 8), '--format', 'json', '--records', dir]);
      expect(json.code).toBe(0);
      const file = JSON.parse(json.stdout);
      expect(v.safeParse(RecordFileSchema, file).success).toBe(true);
      expect(parseRecordFile(file).record.id).toBe(id);

      const csv = await runStimbenchCli(['records', 'export', id, '--format', 'csv', '--records', dir]);
      expect(csv.stdout.split('\r\n')[0]).toBe(EVENT_CSV_COLUMNS.join(','));
      const out = join(dir, 'sessions.csv');
      expect((await runStimbenchCli(['records', 'export', '--sessions', '--out', out, '--records', dir])).code).toBe(0);
      const sessions = readFileSync(out, 'utf8').trim().split('\r\n');
      expect(sessions[0]).toBe(SESSION_CSV_COLUMNS.join(','));
      expect(sessions).toHaveLength(3);

      const show = await runStimbenchCli(['records', 'show', id, '--records', dir, '--json']);
      expect(JSON.parse(show.stdout).record.participant).toBe('p02');

      const summary = await runStimbenchCli(['records', 'summary', '--records', dir]);
      const s = jsonLines(summary.stdout)[0]!;
      expect(s).toMatchObject({ event: 'summary', records: 2, outcomes: { completed: 2 } });
      const participants = s.participants as { participant: string; sessions: number; activeMs: number; last24hMs: number }[];
      expect(participants.map((p) => p.participant).sort()).toEqual(['p01', 'p02']);
      for (const p of participants) {
        expect(p.sessions).toBe(1);
        expect(p.activeMs).toBeGreaterThan(19_000);
        // Virtual-time sessions end (on their own clock) after the real now the summary counts to.
        expect(p.last24hMs).toBeGreaterThan(0);
      }

      expect((await runStimbenchCli(['records', 'show', 'zzzz', '--records', dir])).code).toBe(3);
    } finally {
      await holder.close();
    }
  });
});
