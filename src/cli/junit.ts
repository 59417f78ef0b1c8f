/** A conformance report as JUnit XML (one testcase per check), for CI systems that display test results. */
import type { ConformanceReport } from '../lib/conformance/index.ts';

const escapeXml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // XML 1.0 forbids most control characters even when escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function conformanceJunit(report: ConformanceReport, boardDescription: string, timestampIso: string): string {
  const failures = report.results.filter((r) => !r.pass).length;
  const skipped = report.results.filter((r) => r.skipped).length;
  const cases = report.results.map((r) => {
    const open = `    <testcase classname="stimbench.conformance" name="${escapeXml(r.id)}" time="${seconds(r.durationMs)}">`;
    const out = `      <system-out>${escapeXml(`${r.title}\nmeasured: ${r.measured}\n${r.detail}`)}</system-out>`;
    if (!r.pass) return `${open}\n      <failure message="${escapeXml(r.measured)}" type="conformance">${escapeXml(r.detail)}</failure>\n${out}\n    </testcase>`;
    if (r.skipped) return `${open}\n      <skipped message="${escapeXml(r.detail)}"/>\n${out}\n    </testcase>`;
    return `${open}\n${out}\n    </testcase>`;
  });
  const board = report.board ? `${report.board.serialNumber}, firmware ${report.board.firmware}` : 'no INFO';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="stimbench check" tests="${report.results.length}" failures="${failures}" skipped="${skipped}" time="${seconds(report.durationMs)}">`,
    `  <testsuite name="${escapeXml(`conformance: ${boardDescription} (${board})`)}" tests="${report.results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(report.durationMs)}" timestamp="${timestampIso}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
