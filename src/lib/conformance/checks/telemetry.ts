/**
 * TELEMETRY never shows more current than the board was allowed to deliver: on each channel, no sample
 * above the highest amplitude the board accepted for that channel during the run (a program or an
 * amplitude it ACKed, clipped to the mode table), nor above its caps.maxAmplitudeUa. Run last, over
 * every TELEMETRY frame of the whole run.
 */
import { MODE_LIMITS } from '../../../../firmware-protocol/src/index.ts';
import type { BoardLink } from '../BoardLink.ts';
import { mA, type CheckContext } from '../context.ts';
import { Findings, type Check } from './Check.ts';

interface Sample {
  channel: number;
  atMs: number;
  currentUa: number;
}

function* samples(link: BoardLink): Generator<Sample> {
  for (const { message: m } of link.received) {
    if (m.type !== 'telemetry') continue;
    for (let i = 0; i < m.samples.length; i++) yield { channel: m.channel, atMs: m.firstSampleMs + (i * m.sampleIntervalUs) / 1000, currentUa: m.samples[i]!.currentUa };
  }
}

/**
 * Samples carrying current strictly after board uptime `fromMs` + one sample of 1 ms (the sample taken
 * in the same millisecond as the cut may predate it) and before `toMs`, as text.
 */
export function currentAfter(link: BoardLink, fromMs: number, toMs: number): string[] {
  const out: string[] = [];
  for (const s of samples(link)) if (s.atMs > fromMs + 1 && s.atMs < toMs && s.currentUa !== 0) out.push(`channel ${s.channel + 1} at ${mA(Math.abs(s.currentUa))} (uptime ${s.atMs} ms)`);
  return out;
}

export const telemetryCheck: Check = {
  id: 'telemetry.limits',
  title: 'Telemetry never shows more current than the limits in force',
  async run(ctx: CheckContext) {
    const f = new Findings();
    const { link, info } = ctx;
    if (info.telemetryRateHz === 0) return { pass: true, skipped: true, measured: 'no TELEMETRY (telemetryRateHz 0)', detail: 'the board sends no TELEMETRY' };
    // Per channel: the highest amplitude accepted, each clipped to what its mode and the caps allow, so a
    // board that wrongly accepts an out-of-limit amplitude cannot raise its own allowance.
    const allowed = new Array<number>(info.caps.channelCount).fill(0);
    const modeMax = new Array<number>(info.caps.channelCount).fill(0);
    for (const { message: m } of link.received) {
      if (m.type !== 'ack') continue;
      if (m.echo.kind === 'program' && m.echo.program.channel < allowed.length) {
        const c = m.echo.program.channel;
        modeMax[c] = MODE_LIMITS[m.echo.program.mode]?.maxAmplitudeUa ?? 0;
        allowed[c] = Math.max(allowed[c]!, Math.min(m.echo.program.amplitudeUa, modeMax[c]!));
      }
      if (m.echo.kind === 'amplitude' && m.echo.channel < allowed.length) {
        const c = m.echo.channel;
        allowed[c] = Math.max(allowed[c]!, Math.min(m.echo.amplitudeUa, modeMax[c]!));
      }
    }
    let count = 0;
    let withCurrent = 0;
    const peak = new Array<number>(info.caps.channelCount).fill(0);
    for (const s of samples(link)) {
      count++;
      const ua = Math.abs(s.currentUa);
      if (ua > 0) withCurrent++;
      if (s.channel >= peak.length) {
        f.expect(false, `TELEMETRY for channel ${s.channel + 1}, which this board does not have`);
        continue;
      }
      peak[s.channel] = Math.max(peak[s.channel]!, ua);
    }
    peak.forEach((p, c) => {
      const limit = Math.min(allowed[c]!, info.caps.maxAmplitudeUa);
      f.expect(p <= limit, `channel ${c + 1} reached ${mA(p)} (most it was allowed: ${mA(limit)})`);
    });
    f.expect(withCurrent > 0, `${count} TELEMETRY samples and none with current, though channels ran`);
    const peaks = peak.map((p, c) => `channel ${c + 1} peak ${mA(p)} (allowed ${mA(Math.min(allowed[c]!, info.caps.maxAmplitudeUa))})`).join(', ');
    return f.verdict(`${count} samples; ${peaks}`, 'every sample within the amplitude the board had accepted and its cap');
  },
};
