import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import HistoryScreen from '../../src/ui/screens/HistoryScreen.svelte';
import { EVENT_CSV_COLUMNS } from '../../src/lib/storage/exportEventsCsv.ts';
import { SESSION_CSV_COLUMNS } from '../../src/lib/storage/exportSessionsCsv.ts';
import { fakeServices, rig, seedClosed, seedInterrupted, syncEntry, type Rig } from './historyFixtures.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const HOUR = 3_600_000;

/** Three records: completed (oldest), E-stopped, interrupted (newest, recovered at start-up). */
async function seeded(): Promise<{ r: Rig; recovered: string[] }> {
  const r = await rig();
  await seedClosed(r.store, { id: 'rec-completed', createdWallMs: T0, outcome: 'completed', activeMs: 60_000, chargeUc: 12.5, pain: { pre: 6, post: 2 } });
  await seedClosed(r.store, { id: 'rec-estopped', createdWallMs: T0 + HOUR, outcome: 'estopped', message: 'ESTOP pressed', activeMs: 5_000, chargeUc: 1.25 });
  const recovered = await seedInterrupted(r.store, 'rec-interrupted', T0 + 2 * HOUR, T0 + 3 * HOUR);
  await r.db.put('syncQueue', syncEntry('rec-completed', 'delivered', { deliveredWallMs: T0 + 10_000, lastHttpStatus: 201 }));
  await r.db.put('syncQueue', syncEntry('rec-estopped', 'failed', { lastError: 'HTTP 403: token refused', lastHttpStatus: 403, attempts: 3 }));
  return { r, recovered };
}

async function renderHistory(r: Rig, recovered: string[] = []) {
  const services = fakeServices(r, recovered);
  const result = render(HistoryScreen, { props: { services } });
  await screen.findByTestId('history-row-rec-completed');
  return result;
}

/** Spy on Blob URLs: every exported file's text and the name it was saved under. */
function captureDownloads() {
  const blobs: Blob[] = [];
  const names: string[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((obj: Blob | MediaSource) => {
    blobs.push(obj as Blob);
    return `blob:test/${blobs.length}`;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    names.push(this.download);
  });
  return { blobs, names };
}

/** RFC 4180 fields of one CSV line (quoted fields may hold commas and doubled quotes). */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') (value += '"'), (i += 2);
        else if (line[i] === '"') break;
        else value += line[i++];
      }
      out.push(value);
      i += 2;
    } else {
      const end = line.indexOf(',', i);
      out.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return out;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('HistoryScreen list', () => {
  test('rows newest first, each outcome in words with its test hook', async () => {
    const { r, recovered } = await seeded();
    await renderHistory(r, recovered);
    const rows = screen.getAllByTestId(/^history-row-/);
    expect(rows.map((row) => row.dataset.testid)).toEqual(['history-row-rec-interrupted', 'history-row-rec-estopped', 'history-row-rec-completed']);
    expect(screen.getByTestId('history-outcome-rec-completed').textContent).toBe('Completed');
    expect(screen.getByTestId('history-outcome-rec-estopped').textContent).toBe('E-stopped');
    expect(screen.getByTestId('history-outcome-rec-interrupted').textContent).toBe('Interrupted');
    // Never colour alone: each outcome cell also draws an icon next to the word.
    expect(within(rows[1]!).getByText('E-stopped').parentElement!.querySelector('svg')).not.toBeNull();
  });

  test('an interrupted record is explained in words, and the start-up recovery is announced', async () => {
    const { r, recovered } = await seeded();
    expect(recovered).toEqual(['rec-interrupted']);
    await renderHistory(r, recovered);
    const row = screen.getByTestId('history-row-rec-interrupted');
    expect(row.className).toMatch(/interrupted/);
    expect(row.textContent).toMatch(/interrupted — the page was closed or reloaded mid-session; never resumed/);
    expect(row.textContent).toMatch(/found at this start-up/);
    expect(screen.getByTestId('history-recovered').textContent).toMatch(/One session was left unfinished/);
    // The other rows carry no such note.
    expect(screen.getByTestId('history-row-rec-completed').textContent).not.toMatch(/never resumed/);
  });

  test('channel, length and dose with units, and lab sync state per record', async () => {
    const { r, recovered } = await seeded();
    await renderHistory(r, recovered);
    const completed = screen.getByTestId('history-row-rec-completed');
    expect(completed.textContent).toMatch(/Conventional TENS/);
    expect(completed.textContent).toMatch(/1 min 02 s/); // 60 s active + 2 s ramp down, monotonic
    expect(completed.textContent).toMatch(/1 min 00 s with output on, 12\.5 µC/);
    expect(screen.getByTestId('history-sync-rec-completed').textContent).toMatch(/Delivered/);
    expect(screen.getByTestId('history-sync-rec-estopped').textContent).toMatch(/Failed/);
    expect(screen.getByTestId('history-sync-rec-interrupted').textContent).toMatch(/not queued/);
    // Interrupted: no monotonic end, so the length is not invented; the dose comes from the summaries (20 s).
    const interrupted = screen.getByTestId('history-row-rec-interrupted');
    expect(interrupted.textContent).toMatch(/unknown \(ended unexpectedly\)/);
    expect(interrupted.textContent).toMatch(/20 s with output on/);
  });

  test('a waiting record says "not configured" when no lab server is set, and Pending when one is', async () => {
    const { r, recovered } = await seeded();
    await r.db.put('syncQueue', syncEntry('rec-interrupted', 'pending'));
    render(HistoryScreen, { props: { services: { ...fakeServices(r, recovered), labSyncConfigured: false } } });
    const cell = await screen.findByTestId('history-sync-rec-interrupted');
    await waitFor(() => expect(cell.textContent).toMatch(/not configured/));
    expect(cell.textContent).not.toMatch(/Pending/);
    // Delivered and failed records keep their state: they happened while a server was set.
    expect(screen.getByTestId('history-sync-rec-completed').textContent).toMatch(/Delivered/);
    cleanup();
    render(HistoryScreen, { props: { services: { ...fakeServices(r, recovered), labSyncConfigured: true } } });
    await waitFor(() => expect(screen.getByTestId('history-sync-rec-interrupted').textContent).toMatch(/Pending/));
  });

  test('no records: says so', async () => {
    const r = await rig();
    render(HistoryScreen, { props: { services: fakeServices(r) } });
    expect((await screen.findByTestId('history-empty')).textContent).toMatch(/No sessions recorded yet/);
  });

  test('storage that failed to open is reported, not hidden', async () => {
    const r = await rig();
    render(HistoryScreen, { props: { services: { ...fakeServices(r), store: null, db: null, storageError: 'StorageError: NO_INDEXEDDB' } } });
    expect(screen.getByRole('alert').textContent).toMatch(/could not be opened, so no history is available and no session can start: StorageError: NO_INDEXEDDB/);
  });
});

describe('HistoryScreen detail', () => {
  async function openDetail(id: string) {
    const { r, recovered } = await seeded();
    await renderHistory(r, recovered);
    await fireEvent.click(within(screen.getByTestId(`history-row-${id}`)).getByRole('button'));
    return { detail: await screen.findByTestId('history-detail'), r };
  }

  test('plan, board, limits, dose, pain and outcome of a completed session', async () => {
    const { detail } = await openDetail('rec-completed');
    expect(screen.getByTestId('history-detail-outcome').textContent).toBe('Completed');
    const plan = within(detail).getByRole('table', { name: 'Program values' });
    expect(within(plan).getByRole('row', { name: /Frequency 100 Hz/ })).toBeTruthy();
    expect(within(plan).getByRole('row', { name: /Pulse width \(per phase\) 100 µs/ })).toBeTruthy();
    expect(within(plan).getByRole('row', { name: /Amplitude .* 10\.0 mA/ })).toBeTruthy();
    expect(screen.getByTestId('history-board-serial').textContent).toBe('SIM-0001');
    expect(detail.textContent).toMatch(/1\.2\.3/);
    const limits = screen.getByTestId('history-limits');
    expect(limits.textContent).toMatch(/150 Hz \(mode table: conventional mode\)/);
    const dose = screen.getByTestId('history-dose');
    expect(dose.textContent).not.toMatch(/Time at amplitude/);
    expect(screen.getByTestId('history-time-on').textContent).toBe('1 min 00 s');
    expect(dose.textContent).toMatch(/Time at target \(10\.0 mA ± 0\.2 mA\)/);
    expect(screen.getByTestId('history-time-at-target').textContent).toBe('1 min 00 s');
    expect(dose.textContent).toMatch(/12\.5 µC/);
    expect(screen.getByTestId('history-pain').textContent).toMatch(/Before6 \/ 10.*After2 \/ 10/s);
    expect(screen.getByTestId('history-outcome-message').textContent).toBe('completed message');
    expect(screen.getByTestId('history-detail-sync').textContent).toMatch(/Delivered.*HTTP 201|Delivered/s);
  });

  test('the events timeline shows commands with their values and the ACK echoes, with both clocks', async () => {
    await openDetail('rec-completed');
    const timeline = screen.getByTestId('history-timeline');
    const rows = within(timeline).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(7);
    const setProgram = screen.getByTestId('history-event-1');
    expect(setProgram.textContent).toMatch(/Command sent/);
    expect(setProgram.textContent).toMatch(/setProgram on channel 1: conventional 100 Hz, 100 µs, 10\.0 mA/);
    const ack = screen.getByTestId('history-event-2');
    expect(ack.textContent).toMatch(/setProgram accepted \(seq 7, round trip 2\.5 ms\); echo: conventional 100 Hz, 100 µs, 10\.0 mA/);
    expect(ack.textContent).toMatch(/\+0\.020 s/); // monotonic offset from the record's start
    expect(ack.querySelector('time')!.getAttribute('datetime')).toBe(new Date(T0 + 20).toISOString());
    expect(screen.getByTestId('history-event-6').textContent).toMatch(/Outcome.*Completed: completed message/s);
  });

  test('the timeline can be narrowed to one kind of event', async () => {
    await openDetail('rec-completed');
    await fireEvent.change(screen.getByLabelText('Show'), { target: { value: 'ack' } });
    const rows = within(screen.getByTestId('history-timeline')).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.dataset.testid)).toEqual(['history-event-2', 'history-event-4']);
  });

  test('an E-stopped session: outcome, its ESTOP command in the timeline, failed sync with its error', async () => {
    const { detail } = await openDetail('rec-estopped');
    expect(screen.getByTestId('history-detail-outcome').textContent).toBe('E-stopped');
    expect(detail.textContent).toMatch(/estop on all channels/);
    expect(screen.getByTestId('history-detail-sync').textContent).toMatch(/Failed.*HTTP 403: token refused/s);
  });

  test('a lab conflict (409: the server holds a different record under this id) is shown as Conflict with the reason, not as delivered', async () => {
    const { r, recovered } = await seeded();
    const reason = 'HTTP 409: the lab server holds a different record under this id; this one was not stored (CONFLICT)';
    await r.db.put('syncQueue', syncEntry('rec-completed', 'conflict', { lastError: reason, lastHttpStatus: 409 }));
    await renderHistory(r, recovered);
    expect(screen.getByTestId('history-sync-rec-completed').textContent).toMatch(/Conflict/);
    expect(screen.getByTestId('history-sync-rec-completed').textContent).not.toMatch(/Delivered/);
    await fireEvent.click(within(screen.getByTestId('history-row-rec-completed')).getByRole('button'));
    await screen.findByTestId('history-detail');
    expect(screen.getByTestId('history-detail-sync').textContent).toMatch(/Conflict.*HTTP 409.*different record under this id/s);
  });

  test('an interrupted session says it was never resumed, with the recovery events', async () => {
    const { detail } = await openDetail('rec-interrupted');
    expect(screen.getByTestId('history-detail-outcome').textContent).toBe('Interrupted');
    expect(within(detail).getByRole('note').textContent).toMatch(/interrupted — the page was closed or reloaded mid-session; never resumed/);
    expect(within(detail).getByRole('note').textContent).toMatch(/found unfinished when the app started this time/);
    expect(screen.getByTestId('history-event-2').textContent).toMatch(/Closed as interrupted at start-up; never resumed/);
  });

  test('back returns to the list', async () => {
    await openDetail('rec-estopped');
    await fireEvent.click(screen.getByTestId('history-back'));
    expect(screen.queryByTestId('history-detail')).toBeNull();
    expect(screen.getAllByTestId(/^history-row-/)).toHaveLength(3);
  });
});

describe('HistoryScreen export', () => {
  async function openCompleted() {
    const { r, recovered } = await seeded();
    await renderHistory(r, recovered);
    await fireEvent.click(within(screen.getByTestId('history-row-rec-completed')).getByRole('button'));
    await screen.findByTestId('history-detail');
    return r;
  }

  test('JSON: the complete, versioned record with every event and summary', async () => {
    const r = await openCompleted();
    const { blobs, names } = captureDownloads();
    await fireEvent.click(screen.getByTestId('export-json'));
    await waitFor(() => expect(blobs).toHaveLength(1));
    expect(blobs[0]!.type).toBe('application/json');
    const file = JSON.parse(await blobs[0]!.text());
    expect(file).toMatchObject({ format: 'stimbench-record', version: 1, record: { id: 'rec-completed', outcome: 'completed', pain: { pre: 6, post: 2 } } });
    expect(file.events).toEqual(await r.store.getEvents('rec-completed'));
    expect(file.summaries).toHaveLength(1);
    expect(file.summaries[0].meanUa).toHaveLength(60);
    expect(names[0]).toMatch(/^stimbench-\d{4}-\d{2}-\d{2}-\d{4}-conventional-tens-rec-comp-record\.json$/);
    expect(screen.getByText(/^Saved stimbench-.*record\.json\.$/)).toBeTruthy();
  });

  test('CSV events: a header and one row per event', async () => {
    await openCompleted();
    const { blobs, names } = captureDownloads();
    await fireEvent.click(screen.getByTestId('export-events-csv'));
    await waitFor(() => expect(blobs).toHaveLength(1));
    expect(blobs[0]!.type).toMatch(/^text\/csv/);
    const lines = (await blobs[0]!.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(EVENT_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 7);
    expect(lines.slice(1).map((l) => fields(l)[5])).toEqual(['user', 'command', 'ack', 'command', 'ack', 'phase', 'outcome']);
    expect(names[0]).toMatch(/-events\.csv$/);
  });

  test('CSV sessions: one row per session, from the list', async () => {
    const { r, recovered } = await seeded();
    await renderHistory(r, recovered);
    const { blobs, names } = captureDownloads();
    await fireEvent.click(screen.getByTestId('export-sessions-csv'));
    await waitFor(() => expect(blobs).toHaveLength(1));
    const lines = (await blobs[0]!.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(SESSION_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(4);
    const outcomeCol = SESSION_CSV_COLUMNS.indexOf('outcome');
    const rows = lines.slice(1).map(fields);
    expect(rows.every((row) => row.length === SESSION_CSV_COLUMNS.length)).toBe(true);
    expect(rows.map((row) => row[0])).toEqual(['rec-interrupted', 'rec-estopped', 'rec-completed']);
    expect(rows.map((row) => row[outcomeCol])).toEqual(['interrupted', 'estopped', 'completed']);
    expect(rows[2]![SESSION_CSV_COLUMNS.indexOf('label')]).toBe('Conventional TENS (100 Hz, 30 min)');
    expect(rows[2]![SESSION_CSV_COLUMNS.indexOf('charge_uc')]).toBe('12.5');
    expect(names[0]).toMatch(/^stimbench-sessions-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
  });

  test('CSV session row of one record from its detail view', async () => {
    await openCompleted();
    const { blobs } = captureDownloads();
    await fireEvent.click(screen.getByTestId('export-session-csv'));
    await waitFor(() => expect(blobs).toHaveLength(1));
    const lines = (await blobs[0]!.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(fields(lines[1]!)[0]).toBe('rec-completed');
  });
});
