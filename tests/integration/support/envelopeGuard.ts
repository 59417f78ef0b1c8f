/**
 * Watches every output sample of a board and records any that could not come from a program the client
 * verified: a run must begin at 0 and rise no faster than the slew limit, never exceed the verified
 * program's amplitude (or a live amplitude the board acknowledged and the client asked for), and the
 * program playing must be one whose ACK echo the client checked.
 */
import { MAX_SLEW_UA_PER_S, MODE_LIMITS, type Program } from '../../../firmware-protocol/src/index.ts';
import type { Rig } from './rig.ts';

export function guardEnvelope(rig: Rig, requestedAmplitudes: Set<number>) {
  const accepted = new Set<string>();
  const violations: string[] = [];
  const runs: { channel: number; startMs: number; program: Program }[] = [];
  const live: (Program & { liveMaxUa: number; startMs: number })[] = [];
  let samples = 0;
  let peakUa = 0;
  const { board } = rig;
  const slew = Math.min(MAX_SLEW_UA_PER_S, board.port ? (rig.client.info?.caps.maxSlewUaPerS ?? MAX_SLEW_UA_PER_S) : MAX_SLEW_UA_PER_S);
  // One sample interval of slack: a sample stands for the level at its instant on a 1 ms grid.
  const slackUa = slew / 1000 + 1;

  board.onFrame((dir, m) => {
    if (dir !== 'out' || m.type !== 'ack' || m.echo.kind !== 'amplitude') return;
    if (!requestedAmplitudes.has(m.echo.amplitudeUa)) violations.push(`board acknowledged amplitude ${m.echo.amplitudeUa} µA that the client never asked for`);
    const run = live[m.echo.channel];
    if (run) run.liveMaxUa = Math.max(run.liveMaxUa, m.echo.amplitudeUa);
  });
  board.onSample((channel, atMs, currentUa) => {
    samples++;
    if (currentUa === 0) {
      delete live[channel];
      return;
    }
    peakUa = Math.max(peakUa, currentUa);
    let run = live[channel];
    if (!run) {
      const program = board.program(channel);
      if (!program) {
        violations.push(`${atMs} ms: ${currentUa} µA on channel ${channel} with no stored program`);
        return;
      }
      if (!accepted.has(JSON.stringify(program))) violations.push(`${atMs} ms: channel ${channel} plays a program the client never verified: ${JSON.stringify(program)}`);
      run = { ...program, liveMaxUa: program.amplitudeUa, startMs: atMs - 1 };
      live[channel] = run;
      runs.push({ channel, startMs: atMs, program });
    }
    const ceiling = Math.min(Math.max(run.amplitudeUa, run.liveMaxUa), MODE_LIMITS[run.mode].maxAmplitudeUa);
    if (currentUa > ceiling) violations.push(`${atMs} ms: ${currentUa} µA above the ceiling ${ceiling} µA`);
    const rampBound = (slew * (atMs - run.startMs)) / 1000 + slackUa;
    if (currentUa > rampBound) violations.push(`${atMs} ms: ${currentUa} µA rose faster than ${slew} µA/s (bound ${rampBound.toFixed(0)})`);
  });
  return {
    /** Call with each program client.setProgram() resolved with (its echo was verified). */
    accept: (p: Program) => accepted.add(JSON.stringify(p)),
    violations,
    runs,
    get samples() {
      return samples;
    },
    get peakUa() {
      return peakUa;
    },
  };
}
