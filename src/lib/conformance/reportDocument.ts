/**
 * A Board check report as files a user keeps: JSON (every figure, for tools) and a self-contained,
 * print-ready HTML page (for the lab's paper trail). Pure: no DOM, so the CLI can write the same files.
 */
import type { ConformanceReport } from './types.ts';

/** Who ran the check, on what, and what they confirmed: the report's header. */
export interface ReportContext {
  /** Wall time the check started, ms since the epoch. */
  startedWallMs: number;
  /** How the board was reached, in words (e.g. "Simulated board (in this browser)", "USB serial 1209:5354"). */
  connection: string;
  /** The operator confirmed a dummy load (a resistor), not a person, was connected. */
  dummyLoadConfirmed: boolean;
  /** The software that ran the suite, e.g. "StimBench 0.1.0". */
  software: string;
}

export interface ReportFile {
  format: 'stimbench-board-check';
  version: 1;
  context: ReportContext;
  report: ConformanceReport;
}

export function reportFile(report: ConformanceReport, context: ReportContext): ReportFile {
  return { format: 'stimbench-board-check', version: 1, context, report };
}

export function reportFileName(context: ReportContext, ext: 'json' | 'html'): string {
  const stamp = new Date(context.startedWallMs).toISOString().replace(/[:.]/g, '-');
  return `board-check-${stamp}.${ext}`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Everything in the page comes from a board, which may send anything: escape every value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export function verdictWords(report: ConformanceReport): string {
  const passed = report.results.filter((r) => r.pass).length;
  return report.pass ? `Passed: all ${passed} checks` : `Failed: ${report.results.length - passed} of ${report.results.length} checks`;
}

export function reportHtml(report: ConformanceReport, context: ReportContext): string {
  const e = escapeHtml;
  const b = report.board;
  const when = new Date(context.startedWallMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const rows = report.results
    .map(
      (r, i) => `<tr class="${r.pass ? 'pass' : 'fail'}">
  <td>${i + 1}</td>
  <td>${e(r.title)}<div class="id">${e(r.id)}</div></td>
  <td class="verdict">${r.skipped ? 'Not applicable' : r.pass ? 'Pass' : 'FAIL'}</td>
  <td>${e(r.measured)}</td>
  <td>${e(r.detail)}</td>
  <td class="num">${(r.durationMs / 1000).toFixed(1)} s</td>
</tr>`,
    )
    .join('\n');
  const drops = Object.entries(report.hostDrops).filter(([, n]) => n > 0);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Board check ${e(when)}</title>
<style>
  body { font: 11pt/1.4 system-ui, sans-serif; color: #111; margin: 1.5rem; }
  h1 { font-size: 1.4rem; margin: 0 0 0.25rem; }
  .verdict-line { font-size: 1.2rem; font-weight: 700; margin: 0.5rem 0 1rem; }
  .verdict-line.fail, tr.fail .verdict { color: #a00; }
  .verdict-line.pass, tr.pass .verdict { color: #075e07; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0 0 1rem; }
  dt { font-weight: 600; }
  dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border: 1px solid #999; padding: 0.3rem 0.4rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  .id { color: #555; font: 9pt ui-monospace, monospace; }
  .num { text-align: right; white-space: nowrap; }
  tr { break-inside: avoid; }
  @media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>StimBench board check</h1>
<p class="verdict-line ${report.pass ? 'pass' : 'fail'}">${e(verdictWords(report))}</p>
<dl>
  <dt>Started</dt><dd>${e(when)}</dd>
  <dt>Connection</dt><dd>${e(context.connection)}</dd>
  <dt>Board</dt><dd>${b ? `serial number ${e(b.serialNumber)}, firmware ${e(b.firmware)}, ${b.channelCount} channels, watchdog ${b.watchdogMs} ms, telemetry ${b.telemetryRateHz} Hz` : 'did not identify itself (no answer to HELLO)'}</dd>
  <dt>Load</dt><dd>${context.dummyLoadConfirmed ? 'Operator confirmed a dummy load (resistor), not a person, was connected' : 'Not confirmed'}</dd>
  <dt>Duration</dt><dd>${(report.durationMs / 1000).toFixed(1)} s</dd>
  <dt>Frames from the board that could not be decoded</dt><dd>${drops.length === 0 ? 'none' : e(drops.map(([k, n]) => `${k}: ${n}`).join(', '))}</dd>
  <dt>Software</dt><dd>${e(context.software)}</dd>
</dl>
<table>
<thead><tr><th>#</th><th>Check</th><th>Result</th><th>Measured</th><th>Details</th><th>Took</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<p>The checks stimulate at 1–3 mA. A pass says the board kept the protocol's rules during this run; it is not a certification.</p>
</body>
</html>
`;
}
