import { describe, expect, test } from 'vitest';
import { csvField, csvRow, toCsv } from '../../src/lib/storage/csv.ts';
import { exportEventsCsv, EVENT_CSV_COLUMNS } from '../../src/lib/storage/exportEventsCsv.ts';
import { exportSessionsCsv, SESSION_CSV_COLUMNS } from '../../src/lib/storage/exportSessionsCsv.ts';
import type { RecordEvent } from '../../src/lib/session/recordTypes.ts';
import { PROGRAM, recordOf } from './helpers.ts';

/** A strict RFC 4180 reader, to prove the writer's output parses back to the same fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      expect(c).not.toBe('"'); // a bare quote inside an unquoted field would be malformed
      field += c;
      i++;
    }
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('csv', () => {
  test('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rlf')).toBe('"cr\rlf"');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  test('guards text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField('-2')).toBe("'-2");
  });

  test('rows end in CRLF and parse back to the same fields', () => {
    const values = [['a', 'b,c', 'd "e"', 'f\r\ng', '']];
    const text = toCsv(['h1', 'h2', 'h3', 'h4', 'h5'], values);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([['h1', 'h2', 'h3', 'h4', 'h5'], values[0]]);
    expect(csvRow([1, 'x'])).toBe('1,x');
  });

  test('events CSV: one row per event, detail as JSON that parses back', () => {
    const base = { recordId: 'r1', monoMs: 10, wallMs: Date.UTC(2026, 0, 1) };
    const events: RecordEvent[] = [
      { ...base, index: 0, kind: 'user', action: 'start', valueUa: 5000 },
      { ...base, index: 1, kind: 'command', command: 'setProgram', channel: 0, program: PROGRAM },
      { ...base, index: 2, kind: 'warning', message: 'a "quoted", comma\nnewline message' },
      { ...base, index: 3, kind: 'pain', when: 'pre', nrs: 6 },
    ];
    const rows = parseCsv(exportEventsCsv(events));
    expect(rows[0]).toEqual([...EVENT_CSV_COLUMNS]);
    expect(rows).toHaveLength(5);
    expect(rows[1]!.slice(0, 10)).toEqual(['r1', '0', '10', String(base.wallMs), '2026-01-01T00:00:00.000Z', 'user', 'start', '', '5', 'mA']);
    expect(rows[2]![6]).toBe('setProgram');
    expect(JSON.parse(rows[2]![10]!).program).toEqual(PROGRAM);
    expect(JSON.parse(rows[3]![10]!).message).toBe('a "quoted", comma\nnewline message');
    expect(rows[4]!.slice(8, 10)).toEqual(['6', 'NRS 0-10']);
  });

  test('events CSV: spreadsheet units, 1-based channels, whole-ms times; detail keeps the wire integers', () => {
    const base = { recordId: 'r1', wallMs: Date.UTC(2026, 0, 1) + 0.3 };
    const events: RecordEvent[] = [
      { ...base, monoMs: 1234.5678000001, index: 0, kind: 'command', command: 'setAmplitude', channel: 1, amplitudeUa: 8250 },
      { ...base, monoMs: 2000.4, index: 1, kind: 'nack', command: 'setProgram', seq: 7, code: 'outOfRange', field: 'frequencyDeciHz', value: 5000, bound: 2500 },
      { ...base, monoMs: 3000, index: 2, kind: 'fault', source: 'board', code: 'electrodeOff', channel: 0, message: 'electrode off', detail: 0 },
      { ...base, monoMs: 4000, index: 3, kind: 'command', command: 'stop', channel: 0xff },
      { ...base, monoMs: 5000, index: 4, kind: 'limit', limit: 'max-duration', message: 'x', valueMs: 1_800_000 },
    ];
    const rows = parseCsv(exportEventsCsv(events)).slice(1);
    const col = (row: string[], name: (typeof EVENT_CSV_COLUMNS)[number]) => row[EVENT_CSV_COLUMNS.indexOf(name)];
    expect(rows.map((r) => col(r, 'mono_ms'))).toEqual(['1235', '2000', '3000', '4000', '5000']);
    expect(col(rows[0]!, 'wall_ms')).toBe(String(Date.UTC(2026, 0, 1)));
    expect(rows.map((r) => col(r, 'channel'))).toEqual(['2', '', '1', 'all', '']);
    expect([col(rows[0]!, 'value'), col(rows[0]!, 'unit')]).toEqual(['8.25', 'mA']);
    expect([col(rows[1]!, 'value'), col(rows[1]!, 'unit')]).toEqual(['500', 'Hz']);
    expect([col(rows[4]!, 'value'), col(rows[4]!, 'unit')]).toEqual(['1800', 's']);
    expect(JSON.parse(col(rows[0]!, 'detail')!)).toMatchObject({ channel: 1, amplitudeUa: 8250 });
    expect(JSON.parse(col(rows[1]!, 'detail')!)).toMatchObject({ value: 5000, bound: 2500 });
  });

  test('sessions CSV: one row per session', () => {
    const closed = recordOf('r2', {
      status: 'closed',
      outcome: 'completed',
      endedWallMs: Date.UTC(2026, 0, 1, 1),
      dose: [{ channel: 0, activeMs: 60_000, amplitudeIntegralUaMs: 5e8, chargeUc: 600, peakUa: 10_000, samples: 60_000, sampleIntervalUs: 1000 }],
      pain: { pre: 7, post: 3 },
      plan: { program: PROGRAM, titration: null, presetId: 'conventional-tens', programmeRef: null, label: 'Knee, left' },
      participant: 'p01',
    });
    const manual = recordOf('r4', { participant: 'self', plan: { program: PROGRAM, titration: null, presetId: null, programmeRef: null, label: 'Manual — channel 1', manual: true } });
    const rows = parseCsv(exportSessionsCsv([closed, recordOf('r3'), manual]));
    expect(rows[0]).toEqual([...SESSION_CSV_COLUMNS]);
    const row = Object.fromEntries(SESSION_CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(row).toMatchObject({ record_id: 'r2', label: 'Knee, left', outcome: 'completed', active_s: '60', charge_uc: '600', pain_pre: '7', pain_post: '3', board_serial: 'SIM-0001' });
    // Spreadsheet units: Hz, µs, mA, min, s and mA·s, channel numbered from 1 (the JSON export keeps the wire integers).
    expect(row).toMatchObject({
      channel: String(PROGRAM.channel + 1),
      frequency_hz: String(PROGRAM.frequencyDeciHz / 10),
      pulse_width_us: String(PROGRAM.pulseWidthUs),
      planned_amplitude_ma: String(PROGRAM.amplitudeUa / 1000),
      planned_duration_min: String(PROGRAM.durationMs / 60_000),
      amplitude_integral_ma_s: '500',
      peak_ma: '10',
    });
    expect(SESSION_CSV_COLUMNS.join(',')).not.toMatch(/decihz|_ua\b|_ua_|_ms\b/);
    expect(rows[2]![SESSION_CSV_COLUMNS.indexOf('outcome')]).toBe('open');
    // Participant and manual: who was stimulated, and whether the run was set by hand.
    expect([rows[1]![SESSION_CSV_COLUMNS.indexOf('participant')], rows[1]![SESSION_CSV_COLUMNS.indexOf('manual')]]).toEqual(['p01', 'false']);
    expect(rows[2]![SESSION_CSV_COLUMNS.indexOf('participant')]).toBe('');
    expect([rows[3]![SESSION_CSV_COLUMNS.indexOf('participant')], rows[3]![SESSION_CSV_COLUMNS.indexOf('manual')]]).toEqual(['self', 'true']);
  });
});
