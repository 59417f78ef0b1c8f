/**
 * `stimbench records`: the session records in a records directory (written by `stimbench run`) — list,
 * show, export (the app's own JSON record file and CSV formats: a record from disk is the same file
 * History exports, and the lab server accepts it), and a summary across records. Reads without taking
 * the directory's lock, so it works while a session is running.
 */
import { writeFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { dailyUsageMs, DAY_MS, DEFAULT_DAILY_CAP_MS } from '../../lib/session/dailyUsage.ts';
import { participantOf } from '../../lib/session/participant.ts';
import { exportEventsCsv } from '../../lib/storage/exportEventsCsv.ts';
import { exportRecordJson } from '../../lib/session/exportRecordJson.ts';
import { exportSessionsCsv } from '../../lib/storage/exportSessionsCsv.ts';
import type { SessionRecord } from '../../lib/session/recordTypes.ts';
import { FileRecordStore } from '../../lib/storage-node/index.ts';
import { CliError, EXIT, EXIT_CODES_HELP } from '../exitCodes.ts';
import { createOutput, mA } from '../output.ts';
import { DEFAULT_RECORDS_DIR } from './run.ts';

const recordsOption = () => new Option('--records <dir>', 'directory of session records').default(DEFAULT_RECORDS_DIR);
const jsonOption = () => new Option('--json', 'JSON on stdout (the default when stdout is not a terminal)');

async function openForReading(dir: string): Promise<FileRecordStore> {
  return FileRecordStore.open(dir, { readOnly: true });
}

/** A record by id, or by an unambiguous prefix of it (ids are long UUIDs). */
async function findRecord(store: FileRecordStore, idOrPrefix: string): Promise<SessionRecord> {
  const exact = await store.getRecord(idOrPrefix);
  if (exact) return exact;
  const hits = (await store.listRecords()).filter((r) => r.id.startsWith(idOrPrefix));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) throw new CliError(EXIT.refused, `no record "${idOrPrefix}" in ${store.dir} (list them with: stimbench records list)`);
  throw new CliError(EXIT.usage, `"${idOrPrefix}" matches ${hits.length} records; give more of the id`);
}

/** Records from before participant codes have none (the daily cap counts them against everyone). */
const who = (r: SessionRecord): string => participantOf(r) ?? '(none)';
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
const activeMs = (r: SessionRecord) => r.dose.find((d) => d.channel === r.plan.program.channel)?.activeMs ?? 0;

function listLine(r: SessionRecord): string {
  return `${r.id.slice(0, 8)}  ${new Date(r.createdWallMs).toISOString().slice(0, 19).replace('T', ' ')}  ${who(r).padEnd(8)} ${(r.outcome ?? 'open').padEnd(15)} ${minutes(activeMs(r)).padStart(9)}  ${mA(r.targetUa).padStart(7)}  ${r.plan.label}`;
}

export function recordsCommand(): Command {
  const command = new Command('records').description('List, show, export and summarise session records on disk.');
  command.addHelpText(
    'after',
    `
Examples:
  npx stimbench records list --records ./records
  npx stimbench records show 3f2a --records ./records
  npx stimbench records export 3f2a --format json --out session.json   (the app's record file, as History exports it)
  npx stimbench records export 3f2a --format csv --out events.csv
  npx stimbench records export --sessions --out sessions.csv
  npx stimbench records summary --participant p07
${EXIT_CODES_HELP}
`,
  );

  command
    .command('list')
    .description('Every record, newest first: id, start, participant, outcome, time with output on, target, label.')
    .addHelpText('after', `\nExamples:\n  npx stimbench records list --records ./records\n  npx stimbench records list --records ./records --json\n`)
    .addOption(recordsOption())
    .addOption(jsonOption())
    .action(async (options: { records: string; json?: boolean }) => {
      const out = createOutput(options);
      const store = await openForReading(options.records);
      const records = await store.listRecords();
      if (records.length === 0) out.text(`No records in ${options.records}.`);
      for (const r of records) {
        out.event('record', { id: r.id, createdWallMs: r.createdWallMs, participant: who(r), status: r.status, outcome: r.outcome, stopReason: r.stopReason, activeMs: activeMs(r), targetUa: r.targetUa, label: r.plan.label, presetId: r.plan.presetId }, listLine(r));
      }
      process.exitCode = EXIT.ok;
    });

  command
    .command('show')
    .description('One record: plan, board, limits, outcome, dose and its events.')
    .addHelpText('after', `\nExamples:\n  npx stimbench records show 3f2a --records ./records\n  npx stimbench records show 3f2a --records ./records --json\n`)
    .argument('<id>', 'record id (or the start of it)')
    .addOption(recordsOption())
    .addOption(jsonOption())
    .action(async (id: string, options: { records: string; json?: boolean }) => {
      const out = createOutput(options);
      const store = await openForReading(options.records);
      const full = await store.getFull((await findRecord(store, id)).id);
      const r = full.record;
      if (out.json) {
        process.stdout.write(`${exportRecordJson(full, Date.now())}\n`);
      } else {
        const p = r.plan.program;
        const dose = r.dose.find((d) => d.channel === p.channel);
        out.text(`Record ${r.id} (${r.status})`);
        out.text(`  Started    ${new Date(r.createdWallMs).toISOString()}${r.endedWallMs !== null ? `, ended ${new Date(r.endedWallMs).toISOString()}` : ''}`);
        out.text(`  Participant ${who(r)}`);
        out.text(`  Plan       ${r.plan.label}${r.plan.presetId ? ` (preset ${r.plan.presetId})` : ''}: ${p.mode}, ${p.frequencyDeciHz / 10} Hz, ${p.pulseWidthUs} µs, channel ${p.channel + 1}, ${minutes(p.durationMs)}`);
        out.text(`  Target     ${mA(r.targetUa)} (ceiling ${mA(r.limits.amplitudeCeiling.value)}: ${r.limits.amplitudeCeiling.reason}); electrode area ${r.limits.electrodeAreaCm2 ?? '—'} cm²`);
        out.text(`  Board      ${r.board.serialNumber}, firmware ${r.board.firmwareVersion}, ${r.board.port.label}`);
        out.text(`  Outcome    ${r.outcome ?? 'still open'}${r.stopReason ? ` (${r.stopReason})` : ''}${r.outcomeMessage ? `: ${r.outcomeMessage}` : ''}`);
        if (dose) out.text(`  Dose       ${minutes(dose.activeMs)} with output on, peak ${mA(dose.peakUa)}, charge ${dose.chargeUc.toFixed(0)} µC`);
        out.text(`  Events     ${full.events.length}, summaries ${full.summaries.length} minute(s)`);
      }
      process.exitCode = EXIT.ok;
    });

  command
    .command('export')
    .description("Export one record as the app's JSON record file or its events as CSV, or every record as a sessions CSV.")
    .addHelpText('after', `\nExamples:\n  npx stimbench records export 3f2a --records ./records --out session.json\n  npx stimbench records export 3f2a --records ./records --format csv --out events.csv\n  npx stimbench records export --sessions --records ./records --out sessions.csv\n`)
    .argument('[id]', 'record id (or the start of it)')
    .addOption(new Option('--format <format>', "json (the app's stimbench-record file, as History exports it and the lab server accepts it) or csv (the events)").choices(['json', 'csv']).default('json'))
    .addOption(new Option('--sessions', 'one CSV row per record, every record (instead of one record)'))
    .addOption(new Option('--out <file>', 'write here instead of stdout'))
    .addOption(recordsOption())
    .action(async (id: string | undefined, options: { records: string; format: 'json' | 'csv'; sessions?: boolean; out?: string }) => {
      const store = await openForReading(options.records);
      let text: string;
      if (options.sessions) {
        if (id) throw new CliError(EXIT.usage, '--sessions exports every record: give no id');
        text = exportSessionsCsv([...(await store.listRecords())].reverse());
      } else {
        if (!id) throw new CliError(EXIT.usage, 'expected a record id (or --sessions for every record)');
        const full = await store.getFull((await findRecord(store, id)).id);
        text = options.format === 'json' ? `${exportRecordJson(full, Date.now())}\n` : exportEventsCsv(full.events);
      }
      if (options.out) await writeFile(options.out, text);
      else process.stdout.write(text);
      process.exitCode = EXIT.ok;
    });

  command
    .command('summary')
    .description('Totals across records: sessions by outcome, time with output on and charge per participant, daily-cap use in the last 24 h.')
    .addHelpText('after', `\nExamples:\n  npx stimbench records summary --records ./records\n  npx stimbench records summary --records ./records --participant p07 --json\n`)
    .addOption(new Option('--participant <code>', 'only this participant'))
    .addOption(recordsOption())
    .addOption(jsonOption())
    .action(async (options: { records: string; participant?: string; json?: boolean }) => {
      const out = createOutput(options);
      const store = await openForReading(options.records);
      const all = await store.listRecords();
      const records = options.participant ? all.filter((r) => who(r) === options.participant) : all;
      const now = Date.now();
      const byParticipant = new Map<string, SessionRecord[]>();
      for (const r of records) byParticipant.set(who(r), [...(byParticipant.get(who(r)) ?? []), r]);
      const outcomes: Record<string, number> = {};
      for (const r of records) outcomes[r.outcome ?? 'open'] = (outcomes[r.outcome ?? 'open'] ?? 0) + 1;
      const participants = [...byParticipant.entries()].map(([participant, list]) => ({
        participant,
        sessions: list.length,
        activeMs: list.reduce((sum, r) => sum + activeMs(r), 0),
        chargeUc: Math.round(list.reduce((sum, r) => sum + (r.dose.find((d) => d.channel === r.plan.program.channel)?.chargeUc ?? 0), 0)),
        // The daily cap's own count (every channel, open records included), against every record on disk.
        last24hMs: dailyUsageMs(all, participant, now, DAY_MS),
        dailyCapMs: DEFAULT_DAILY_CAP_MS,
      }));
      out.event('summary', { records: records.length, outcomes, participants }, null);
      if (!out.json) {
        out.text(`${records.length} record(s): ${Object.entries(outcomes).map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}`);
        for (const p of participants) out.text(`  ${p.participant.padEnd(10)} ${p.sessions} session(s), ${minutes(p.activeMs)} with output on, ${p.chargeUc} µC; last 24 h: ${minutes(p.last24hMs)} of the ${minutes(p.dailyCapMs)} daily cap`);
      }
      process.exitCode = EXIT.ok;
    });
  return command;
}
