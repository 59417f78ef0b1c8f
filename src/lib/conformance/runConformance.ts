/**
 * runConformance(connection, options, onProgress): the checks that define "a board that behaves like
 * PROTOCOL.md", run one after the other over any Transport, on virtual or real time.
 *
 * The suite opens the transport if it is closed (and then closes it at the end), sends 0x00 to flush a
 * half-received frame at the board and waits until the board answers anything (tolerances.connectMs;
 * a silent board then fails every check with the reason), runs `hello` first (every other check needs INFO), and
 * leaves the board as it found it as far as the protocol allows: every channel idle, no fault latched.
 * A check that cannot go on (no reply) fails with the reason; the next check still runs. A lost
 * connection (TransportError) fails the check it happened in and reports every later one as not run.
 *
 * The checks stimulate: small amplitudes (1–3 mA), but real output on a real board. Run the suite
 * against a board with a dummy load (a resistor), never with electrodes on a person.
 */
import { describeMessage } from './BoardLink.ts';
import { BoardLink } from './BoardLink.ts';
import type { CheckContext } from './context.ts';
import type { Check, Verdict } from './checks/Check.ts';
import { durationCheck } from './checks/duration.ts';
import { estopCheck } from './checks/estop.ts';
import { framesDroppedCheck } from './checks/framesDropped.ts';
import { helloCheck } from './checks/hello.ts';
import { nackKeepsStateCheck } from './checks/nackKeepsState.ts';
import { programsPatchedCheck } from './checks/programsPatched.ts';
import { programsRefusedCheck } from './checks/programsRefused.ts';
import { slewCheck } from './checks/slew.ts';
import { telemetryCheck } from './checks/telemetry.ts';
import { vectorMalformedCheck } from './checks/vectorMalformed.ts';
import { vectorRequestsCheck } from './checks/vectorRequests.ts';
import { watchdogCheck, watchdogCorruptCheck } from './checks/watchdog.ts';
import { TransportError, type Transport } from '../transport/Transport.ts';
import {
  CheckFailure,
  ConformanceStopped,
  realTolerances,
  virtualTolerances,
  type CheckResult,
  type ConformanceOptions,
  type ConformanceProgress,
  type ConformanceReport,
} from './types.ts';

/** Every check, in the order they run. `telemetry.limits` is last: it judges every TELEMETRY of the run. */
export const CHECKS: readonly Check[] = [
  helloCheck,
  vectorRequestsCheck,
  vectorMalformedCheck,
  framesDroppedCheck,
  programsRefusedCheck,
  programsPatchedCheck,
  nackKeepsStateCheck,
  slewCheck,
  durationCheck,
  estopCheck,
  watchdogCheck,
  watchdogCorruptCheck,
  telemetryCheck,
];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

/** Flush with 0x00 and ask GET_STATUS every 100 ms until anything answers (or `connectMs` passes). */
async function waitUntilAnswering(link: BoardLink, connectMs: number): Promise<void> {
  const deadline = link.timer.now() + connectMs;
  do {
    await link.write(Uint8Array.of(0), false);
    const mark = link.mark();
    const { seq } = await link.send({ type: 'getStatus' });
    if (await link.waitFor((m) => 'replyTo' in m && m.replyTo === seq, mark, Math.min(CONNECT_POLL_MS, Math.max(0, deadline - link.timer.now())))) return;
  } while (link.timer.now() < deadline);
}

/** How often a board that has not answered yet is asked again, ms. */
const CONNECT_POLL_MS = 100;

export async function runConformance(
  connection: Transport,
  options: ConformanceOptions,
  onProgress: (event: ConformanceProgress) => void = () => {},
): Promise<ConformanceReport> {
  const unknown = (options.only ?? []).filter((id) => !CHECK_IDS.includes(id));
  if (unknown.length > 0) throw new RangeError(`unknown conformance check id(s): ${unknown.join(', ')} (expected some of ${CHECK_IDS.join(', ')})`);
  const tolerances = { ...(options.timeBase === 'virtual' ? virtualTolerances : realTolerances), ...options.tolerances };
  const timer = options.timer;
  const started = timer.now();
  const openedHere = !connection.isOpen;
  if (openedHere) await connection.open();
  const link = new BoardLink(connection, timer, tolerances.replyTimeoutMs);
  link.start();
  const signal = options.signal;
  /** ESTOP at once on abort; a write that fails here means the link is gone, which the run reports itself. */
  const onAbort = () => void link.emergencyStop().catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const results: CheckResult[] = [];
  let board: ConformanceReport['board'] = null;
  /** Set when the transport fails (device lost): the checks after it are reported as not run. */
  let lost: string | null = null;
  try {
    try {
      await waitUntilAnswering(link, tolerances.connectMs);
    } catch (error) {
      if (error instanceof TransportError) lost = error.message;
      else if (!(error instanceof ConformanceStopped)) throw error;
    }
    const selected = CHECKS.filter((c) => c.id === 'hello' || !options.only || options.only.includes(c.id));
    const total = selected.length;
    let ctx: CheckContext | null = null;
    for (const [index, check] of selected.entries()) {
      onProgress({ kind: 'check-start', id: check.id, title: check.title, index, total });
      const t0 = timer.now();
      let verdict: Verdict;
      if (link.stopped) {
        verdict = { pass: false, measured: '—', detail: 'not run: the check was stopped by the user (ESTOP sent)' };
      } else if (lost !== null) {
        verdict = { pass: false, measured: '—', detail: `not run: the connection was lost (${lost})` };
      } else if (check !== helloCheck && !ctx) {
        verdict = { pass: false, measured: '—', detail: 'not run: the board did not answer HELLO with INFO' };
      } else {
        try {
          verdict = await check.run(ctx ?? ({ link, tolerances, options } as CheckContext));
        } catch (error) {
          if (error instanceof ConformanceStopped || link.stopped) {
            verdict = { pass: false, measured: '—', detail: 'stopped by the user during this check: ESTOP sent, every channel at 0 mA' };
          } else if (error instanceof TransportError) {
            lost = error.message;
            verdict = { pass: false, measured: '—', detail: `the connection was lost during the check (${lost})` };
          } else if (error instanceof CheckFailure) {
            verdict = { pass: false, measured: '—', detail: link.readError !== null ? `${error.message}; the connection was lost` : error.message };
          } else throw error;
        }
        // A check that caught the stop itself must not pass: it was cut short.
        if (link.stopped) verdict = { pass: false, measured: '—', detail: 'stopped by the user during this check: ESTOP sent, every channel at 0 mA' };
      }
      if (check === helloCheck && lost === null && !link.stopped) {
        const { reply } = await link.exchange({ type: 'hello', minVersion: 1, maxVersion: 1 }).catch((error: unknown) => {
          if (error instanceof ConformanceStopped) return { reply: null };
          throw error;
        });
        if (reply?.type === 'info') {
          ctx = { link, info: reply, tolerances, options };
          const v = `${reply.firmwareMajor}.${reply.firmwareMinor}.${reply.firmwarePatch}`;
          board = { serialNumber: reply.serialNumber, firmware: v, channelCount: reply.caps.channelCount, watchdogMs: reply.watchdogMs, telemetryRateHz: reply.telemetryRateHz };
        } else if (verdict.pass) verdict = { pass: false, measured: '—', detail: `HELLO answered ${describeMessage(reply)} (expected INFO)` };
      }
      const result: CheckResult = { id: check.id, title: check.title, pass: verdict.pass, skipped: verdict.skipped ?? false, measured: verdict.measured, detail: verdict.detail, durationMs: timer.now() - t0 };
      results.push(result);
      onProgress({ kind: 'check-done', result, index, total });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await link.stop();
    if (openedHere) await connection.close();
  }
  return { pass: results.every((r) => r.pass), board, results, hostDrops: { ...link.decoder.drops }, durationMs: timer.now() - started };
}
