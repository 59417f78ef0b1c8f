/** Board check reports as files: the JSON keeps every figure, the printable page says the verdict in words and escapes what a board sent. */
import { describe, expect, test } from 'vitest';
import { SimulatedBoard, VirtualClock } from '../../hardware-mock/src/index.ts';
import { reportFile, reportFileName, reportHtml, runConformance, verdictWords, type ConformanceReport, type ReportContext } from '../../src/lib/conformance/index.ts';
import { SimulatedTransport } from '../../src/lib/transport/SimulatedTransport.ts';

const context: ReportContext = { startedWallMs: Date.UTC(2026, 11, 8, 9, 30, 0), connection: 'Simulated board', dummyLoadConfirmed: true, software: 'StimBench test' };

async function simulatedReport(serialNumber = 'SIM-0001', watchdogDisabled = false): Promise<ConformanceReport> {
  const clock = new VirtualClock();
  const board = new SimulatedBoard({ clock, channelCount: 2, serialNumber, testOnlyBreakages: { watchdogDisabled } });
  const report = await runConformance(new SimulatedTransport(board), { timeBase: 'virtual', timer: { now: () => clock.now(), sleep: (ms) => clock.advance(ms) } });
  board.destroy();
  return report;
}

describe('board check report files', () => {
  test('a passing run: verdict, board identity, every check with its measured figure', async () => {
    const report = await simulatedReport();
    const html = reportHtml(report, context);
    expect(verdictWords(report)).toBe(`Passed: all ${report.results.length} checks`);
    expect(html).toContain('Passed: all 13 checks');
    expect(html).toContain('serial number SIM-0001, firmware');
    expect(html).toContain('watchdog 500 ms');
    expect(html).toContain('2026-12-08 09:30:00 UTC');
    expect(html).toContain('Operator confirmed a dummy load (resistor), not a person, was connected');
    for (const r of report.results) expect(html).toContain(r.id);
    expect(html).toMatch(/tripped 500 ms after the last valid frame/);
    const file = reportFile(report, context);
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
    expect(reportFileName(context, 'json')).toBe('board-check-2026-12-08T09-30-00-000Z.json');
  });

  test('a failing run names how many checks failed and marks them', async () => {
    const report = await simulatedReport('SIM-0001', true);
    expect(verdictWords(report)).toBe('Failed: 2 of 13 checks');
    const html = reportHtml(report, context);
    expect(html).toContain('class="verdict-line fail"');
    expect(html.match(/<td class="verdict">FAIL<\/td>/g)).toHaveLength(2);
  });

  test('text a board sends is escaped, never markup', async () => {
    const report = await simulatedReport('<img src=x>');
    const html = reportHtml(report, { ...context, connection: '"><script>alert(1)</script>' });
    expect(html).not.toContain('<img src=x>');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;img src=x&gt;');
  });
});
