/**
 * `stimbench run`: one session through the app's own layers — the board link (openBoard), the
 * StimulatorClient, the SessionEngine and a FileRecordStore — with a live progress line.
 *
 * Stop paths (SAFETY.md): Ctrl-C (SIGINT) asks the engine for a ramped stop; a second Ctrl-C, SIGTERM or
 * SIGHUP sends ESTOP at once. Leaving by any other way (an error) disconnects the client, which stops any
 * output still on (ramped STOP, ESTOP if that fails). A hard kill (SIGKILL) cannot be caught: the board's
 * watchdog then ends the output when the heartbeats stop.
 */
import { cliSoftware } from '../softwareIdentity.ts';
import { Command, InvalidArgumentError, Option } from 'commander';
import * as v from 'valibot';
import type { Program, TelemetryMessage } from '../../../firmware-protocol/src/index.ts';
import { StimulatorClient } from '../../lib/device/StimulatorClient.ts';
import { ProgramSchema } from '../../lib/presets/presetFileSchema.ts';
import { parsePresetFile } from '../../lib/presets/parsePresetFile.ts';
import { BUILTIN_IDS } from '../../lib/presets/CatalogueStore.ts';
import type { Preset } from '../../lib/presets/types.ts';
import { SessionRefusedError } from '../../lib/session/errors.ts';
import { planFromPreset } from '../../lib/session/planFromPreset.ts';
import { SessionEngine } from '../../lib/session/SessionEngine.ts';
import type { SessionPlan } from '../../lib/session/SessionPlan.ts';
import { parseParticipantCode, ParticipantCodeError } from '../../lib/session/participant.ts';
import type { SessionRecord } from '../../lib/session/recordTypes.ts';
import { FileRecordStore } from '../../lib/storage-node/index.ts';
import { DirectoryLockedError } from '../../lib/storage-node/directoryLock.ts';
import { DEFAULT_CATALOGUE_FILE, findPreset, loadCatalogue, readJsonFile } from '../catalogue.ts';
import { CliError, EXIT, EXIT_CODES_HELP, exitCodeOfOutcome } from '../exitCodes.ts';
import { startClockPump, type ClockPump } from '../link/clockPump.ts';
import { boardOptions, openBoard, type BoardOptions, type OpenedBoard } from '../link/openBoard.ts';
import { simulatedFaultHelp } from '../link/simulatedFaults.ts';
import { clockTime, createOutput, mA, type Output } from '../output.ts';
import { positiveNumber, positiveInteger } from '../parse.ts';

export const DEFAULT_RECORDS_DIR = 'stimbench-records';

interface RunOptions extends BoardOptions {
  preset?: string;
  program?: string;
  catalogue: string;
  channel: number;
  electrodeArea: number;
  amplitude?: number;
  participant: string;
  records: string;
  json?: boolean;
  speed?: number;
  virtualTime?: boolean;
}

function participant(value: string): string {
  try {
    return parseParticipantCode(value);
  } catch (error) {
    if (error instanceof ParticipantCodeError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

export function runCommand(): Command {
  const command = new Command('run').description('Run one stimulation session through the session engine, recording it on disk.');
  for (const option of boardOptions()) command.addOption(option);
  return command
    .addOption(new Option('--preset <id>', 'preset to run (built-in, from --catalogue, or one of the presets in --program FILE)'))
    .addOption(new Option('--program <file>', 'a preset file (stimbench-presets JSON, as the app exports) or one program object as JSON'))
    .addOption(new Option('--catalogue <file>', 'user preset catalogue (see stimbench presets)').default(DEFAULT_CATALOGUE_FILE))
    .addOption(new Option('--channel <n>', 'output channel, from 1').default(1).argParser(positiveInteger))
    .addOption(new Option('--electrode-area <cm2>', 'area of the smaller electrode on this channel, cm² (sets the current-density limit)').argParser(positiveNumber).makeOptionMandatory())
    .addOption(new Option('--amplitude <mA>', "target amplitude, mA (a preset's amplitude is a ceiling; default: the preset's suggested start level)").argParser(positiveNumber))
    .addOption(new Option('--participant <code>', 'pseudonymous code of the person stimulated (the daily cap is counted per code)').default('self').argParser(participant))
    .addOption(new Option('--records <dir>', 'directory of session records').default(DEFAULT_RECORDS_DIR))
    .addOption(new Option('--json', 'JSON lines on stdout (the default when stdout is not a terminal)'))
    .addOption(new Option('--speed <factor>', 'with --simulated: run the simulated board this many times faster than real time').argParser(positiveNumber))
    .addOption(new Option('--virtual-time', 'with --simulated: run as fast as the machine goes (a 30-minute preset in seconds)').conflicts('speed'))
    .addHelpText(
      'after',
      `
Stopping: Ctrl-C ramps the output down (a clean stop); a second Ctrl-C, SIGTERM or SIGHUP sends ESTOP.
If stimbench is killed outright, the board's own watchdog ends the output within its watchdog period.

Examples:
  A built-in preset on the simulated board, as fast as possible, JSON lines:
    npx stimbench run --simulated --virtual-time --preset conventional-tens --electrode-area 25 --records ./sim-records --json

  A preset at 12 mA on a board on /dev/ttyACM0 for participant p07, records in ./records:
    npx stimbench run --port /dev/ttyACM0 --preset conventional-tens --amplitude 12 --electrode-area 25 --participant p07 --records ./records

  The C host board started by stimbench, a program from a file:
    npx stimbench run --board-cmd "firmware-protocol/c/build/stimbench-host-board --pty" --program my-presets.json --preset my-preset --electrode-area 16

Simulated faults (--simulated-fault NAME):
${simulatedFaultHelp()}
${EXIT_CODES_HELP}
`,
    )
    .action(async (options: RunOptions) => {
      process.exitCode = await runSession(options);
    });
}

/** The plan: a preset (catalogue or file) or one bare program, on the chosen channel. */
async function loadPlanSource(options: RunOptions): Promise<{ preset: Preset } | { program: Program }> {
  if (!options.preset && !options.program) throw new CliError(EXIT.usage, 'expected --preset ID or --program FILE.json');
  if (options.program) {
    const json = await readJsonFile(options.program);
    if (json && typeof json === 'object' && (json as { format?: unknown }).format === 'stimbench-presets') {
      let presets: Preset[];
      try {
        presets = parsePresetFile(json, { reservedIds: BUILTIN_IDS }).presets;
      } catch (error) {
        throw new CliError(EXIT.refused, `${options.program}: ${(error as Error).message}`);
      }
      const chosen = options.preset ? presets.find((p) => p.id === options.preset) : presets.length === 1 ? presets[0] : undefined;
      if (!chosen) {
        throw new CliError(EXIT.usage, `${options.program} holds ${presets.length} preset(s) (${presets.map((p) => p.id).join(', ') || 'none'}); name one with --preset ID`);
      }
      return { preset: chosen };
    }
    const program = v.safeParse(ProgramSchema, json);
    if (!program.success) {
      const issue = program.issues[0];
      const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
      throw new CliError(EXIT.refused, `${options.program}: not a preset file and not a program (${path || '(file)'}: expected ${issue.expected ?? 'a valid value'}, got ${issue.received})`);
    }
    return { program: program.output as Program };
  }
  return { preset: findPreset(await loadCatalogue(options.catalogue), options.preset!) };
}

function planOf(source: { preset: Preset } | { program: Program }, client: StimulatorClient, options: RunOptions): SessionPlan {
  const channel = options.channel - 1;
  const context = client.validationContextFor(channel);
  const targetUa = options.amplitude === undefined ? undefined : Math.round(options.amplitude * 1000);
  try {
    if ('preset' in source) {
      // The titrated plan names the ceiling and the suggested start; the CLI runs at a fixed target.
      const titrated = planFromPreset(source.preset, { channel, context });
      const amplitudeUa = targetUa ?? titrated.titration!.startUa;
      return planFromPreset(source.preset, { channel, context, titrate: false, amplitudeUa });
    }
    const program: Program = { ...source.program, channel, amplitudeUa: targetUa ?? source.program.amplitudeUa };
    return { program, titration: null, presetId: null, programmeRef: null, label: 'program from file' };
  } catch (error) {
    throw new CliError(EXIT.refused, (error as Error).message);
  }
}

async function runSession(options: RunOptions): Promise<number> {
  if ((options.speed !== undefined || options.virtualTime) && !options.simulated) throw new CliError(EXIT.usage, '--speed and --virtual-time need --simulated');
  // A sped-up session's record carries simulated times (a 30-minute session "ends" 30 minutes after it
  // started, seconds later in real time): kept out of the default directory, so it never mixes with the
  // records a real participant's daily cap is counted from.
  const fast = options.virtualTime === true || (options.speed !== undefined && options.speed !== 1);
  if (fast && options.records === DEFAULT_RECORDS_DIR) throw new CliError(EXIT.usage, `--speed and --virtual-time need --records DIR (a directory of their own: simulated times must not mix with the records in ${DEFAULT_RECORDS_DIR} that daily caps are counted from)`);
  const out = createOutput(options);
  const source = await loadPlanSource(options);

  let store: FileRecordStore;
  try {
    store = await FileRecordStore.open(options.records);
  } catch (error) {
    if (error instanceof DirectoryLockedError) throw new CliError(EXIT.refused, error.message);
    throw error;
  }
  const recovered = await store.recoverInterrupted(Date.now());
  for (const id of recovered) out.event('recovered', { recordId: id }, `Record ${id} was left open by an earlier run: closed as interrupted.`);

  let board: OpenedBoard | null = null;
  let pump: ClockPump | null = null;
  let client: StimulatorClient | null = null;
  let engine: SessionEngine | null = null;
  let aborted: string | null = null;
  let sigints = 0;
  const estop = (signal: string) => {
    out.event('signal', { signal, action: 'estop' }, `${signal}: ESTOP`);
    if (engine) void engine.estop().catch(() => {});
    else if (client) void client.estop().catch(() => {});
    aborted ??= signal;
  };
  const onSigint = () => {
    sigints++;
    if (sigints > 1) return estop('SIGINT');
    out.event('signal', { signal: 'SIGINT', action: 'stop' }, 'Ctrl-C: ramping the output down (Ctrl-C again for ESTOP)');
    aborted ??= 'SIGINT';
    if (engine) void engine.stop('user').catch(() => {});
  };
  const onTerm = (signal: NodeJS.Signals) => estop(signal);
  // A bug anywhere must not leave output on: ESTOP (not awaited past 1 s), then leave with code 1.
  const onCrash = (error: unknown) => {
    process.stderr.write(`stimbench: internal error, sending ESTOP: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    const sent = client ? client.estop().catch(() => {}) : Promise.resolve();
    void Promise.race([sent, new Promise((r) => setTimeout(r, 1000))]).then(() => {
      // The board program goes too (its SIGTERM is sent at once; exit does not wait for it).
      void board?.boardProcess?.stop();
      process.exit(EXIT.internal);
    });
  };
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onTerm);
  process.on('SIGHUP', onTerm);
  try {
    out.event('connecting', { simulated: options.simulated === true, port: options.port ?? null, boardCmd: options.boardCmd ?? null }, null);
    board = await openBoard(options);
    if (board.virtualClock) pump = startClockPump(board.virtualClock, options.virtualTime ? 'max' : (options.speed ?? 1), () => store.idle());
    const channel = options.channel - 1;
    client = new StimulatorClient(board.transport, { clock: board.clock, electrodeAreasCm2: { [channel]: options.electrodeArea } });
    try {
      await client.connect();
    } catch (error) {
      throw new CliError(EXIT.linkLost, `could not connect to the ${board.description}: ${(error as Error).message}`);
    }
    const info = client.info!;
    out.event(
      'connected',
      { board: board.description, serialNumber: info.serialNumber, firmware: `${info.firmwareMajor}.${info.firmwareMinor}.${info.firmwarePatch}`, protocolVersion: info.protocolVersion, watchdogMs: info.watchdogMs, ...(board.boardProcess?.where.kind === 'pty' ? { pty: board.boardProcess.where.path } : {}), ...(board.boardProcess ? { boardPid: board.boardProcess.child.pid } : {}) },
      `Connected to the ${board.description}: ${info.serialNumber}, firmware ${info.firmwareMajor}.${info.firmwareMinor}.${info.firmwarePatch}, watchdog ${info.watchdogMs} ms`,
    );
    if (aborted) return EXIT.stopped; // stopped before anything was sent
    if (channel >= info.caps.channelCount) throw new CliError(EXIT.refused, `the board has ${info.caps.channelCount} channel(s); channel ${options.channel} does not exist`);
    if (info.caps.channelCount === 0) throw new CliError(EXIT.refused, 'the board reports no channels');
    const plan = planOf(source, client, options);
    engine = new SessionEngine({ device: client, store, clock: board.clock, software: cliSoftware() });
    const live = trackTelemetry(client, channel);
    watchProgress(engine, live, out);
    try {
      await engine.start(plan, { participant: options.participant });
    } catch (error) {
      if (error instanceof SessionRefusedError) {
        if (error.code === 'STOPPED') return aborted === 'SIGINT' && sigints < 2 ? EXIT.stopped : EXIT.estopped;
        throw new CliError(EXIT.refused, `session refused: ${error.message}`);
      }
      throw error;
    }
    out.event(
      'started',
      { recordId: engine.recordId, label: plan.label, presetId: plan.presetId, channel: options.channel, targetUa: plan.program.amplitudeUa, durationMs: plan.program.durationMs, participant: options.participant },
      `Session ${engine.recordId}: ${plan.label} on channel ${options.channel}, target ${mA(plan.program.amplitudeUa)}, ${clockTime(plan.program.durationMs)} (min:s)`,
    );
    let record: SessionRecord;
    try {
      record = await engine.finished;
    } catch (error) {
      throw new CliError(EXIT.fault, `the session ended but its record could not be closed: ${(error as Error).message}`);
    }
    const code = exitCodeOfOutcome(record.outcome, record.stopReason);
    const outputUa = board.simulatedBoard ? Array.from({ length: board.simulatedBoard.channelCount }, (_, c) => board!.simulatedBoard!.outputUa(c)) : undefined;
    out.event(
      'outcome',
      { outcome: record.outcome, stopReason: record.stopReason, message: record.outcomeMessage, recordId: record.id, exitCode: code, records: options.records, ...(outputUa ? { boardOutputUa: outputUa } : {}) },
      `Session ${record.outcome}${record.stopReason ? ` (${record.stopReason})` : ''}${record.outcomeMessage && record.outcomeMessage !== record.outcome ? `: ${record.outcomeMessage}` : ''}\nRecord ${record.id} in ${options.records}`,
    );
    return code;
  } finally {
    out.endProgress();
    engine?.dispose();
    // Never leave output on: disconnect ramps down whatever is still active, ESTOP if that fails.
    if (client) await client.disconnect().catch(() => {});
    await pump?.stop();
    await board?.close().catch(() => {});
    await store.close();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onTerm);
    process.off('SIGHUP', onTerm);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }
}

interface LiveFigures {
  deliveredUa: number | null;
  loadOhm: number | null;
}

/** Delivered current and load, from the newest TELEMETRY sample of the session's channel. */
function trackTelemetry(client: StimulatorClient, channel: number): LiveFigures {
  const live: LiveFigures = { deliveredUa: null, loadOhm: null };
  client.on('telemetry', (message: TelemetryMessage) => {
    if (message.channel !== channel) return;
    const last = message.samples.at(-1);
    if (!last) return;
    live.deliveredUa = last.currentUa;
    // mV / µA = kΩ; no load figure without current.
    live.loadOhm = last.currentUa > 0 ? Math.round((last.voltageMv / last.currentUa) * 1000) : null;
  });
  return live;
}

function watchProgress(engine: SessionEngine, live: LiveFigures, out: Output): void {
  let lastSecond = -1;
  let lastState = '';
  engine.onChange((s) => {
    const second = Math.floor(s.elapsedMs / 1000);
    if (second === lastSecond && s.state === lastState) return;
    lastSecond = second;
    lastState = s.state;
    out.progress(
      { phase: s.state, elapsedMs: Math.round(s.elapsedMs), remainingMs: Math.round(s.remainingMs), targetUa: s.targetUa, deliveredUa: live.deliveredUa, loadOhm: live.loadOhm },
      `${s.state.padEnd(12)} ${clockTime(s.elapsedMs)} elapsed, ${clockTime(s.remainingMs)} left   target ${mA(s.targetUa)}   delivered ${mA(live.deliveredUa)}   load ${live.loadOhm === null ? '—' : `${live.loadOhm} Ω`}`,
    );
  });
}
