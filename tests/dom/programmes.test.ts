import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, test, vi } from 'vitest';
import { VirtualClock } from '../../hardware-mock/src/clock.ts';
import type { Enrolment } from '../../src/lib/session/Enrolment.ts';
import type { NotificationPort, NotificationPermissionState } from '../../src/lib/session/notificationPort.ts';
import { fixedTimeZone } from '../../src/lib/session/timeZone.ts';
import ProgrammesScreen from '../../src/ui/screens/ProgrammesScreen.svelte';
import { fakeServices, rig, seedClosed, seedInterrupted, type Rig } from './historyFixtures.ts';

const UTC = fixedTimeZone(0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 5 January 2026, 00:00 UTC. */
const MON = Date.UTC(2026, 0, 5);
const ref = (enrolmentId: string, programmeId: string, dayIndex: number, slotId: string) => ({ enrolmentId, programmeId, dayIndex, slotId });

function fakePort(answer: NotificationPermissionState = 'granted') {
  let permission: NotificationPermissionState = 'default';
  const shown: { title: string; body: string; tag: string }[] = [];
  const port: NotificationPort = {
    permission: () => permission,
    requestPermission: vi.fn(async () => (permission = answer)),
    show: (title, options) => shown.push({ title, ...options }),
  };
  return { port, shown };
}

/**
 * The PDN course (one 09:00 session a day, 12 h window) enrolled Monday 08:00, seen on Friday 10:00:
 * Mon completed, Tue E-stopped (partial), Wed nothing (missed), Thu interrupted (partial), Fri due now.
 */
async function pdnWeek(nowWallMs = MON + 4 * DAY + 10 * HOUR): Promise<{ r: Rig; enrolment: Enrolment; clock: VirtualClock }> {
  const r = await rig();
  const enrolment: Enrolment = { id: 'enr-pdn', programmeId: 'pdn-4-week', channel: 0, startedWallMs: MON + 8 * HOUR, endedWallMs: null };
  await r.db.put('enrolments', enrolment);
  const slot = (day: number) => MON + day * DAY + 9 * HOUR + 5 * 60_000;
  await seedClosed(r.store, { id: 'd0', createdWallMs: slot(0), outcome: 'completed', presetId: 'pdn-2hz-30min', programmeRef: ref('enr-pdn', 'pdn-4-week', 0, 'morning') });
  await seedClosed(r.store, { id: 'd1', createdWallMs: slot(1), outcome: 'estopped', presetId: 'pdn-2hz-30min', programmeRef: ref('enr-pdn', 'pdn-4-week', 1, 'morning') });
  await seedInterrupted(r.store, 'd3', slot(3), slot(3) + HOUR, ref('enr-pdn', 'pdn-4-week', 3, 'morning'));
  const clock = new VirtualClock({ startWallMs: nowWallMs });
  return { r, enrolment, clock };
}

async function renderProgrammes(r: Rig, clock: VirtualClock, extra: Record<string, unknown> = {}) {
  const onStartSession = vi.fn();
  render(ProgrammesScreen, { props: { services: fakeServices(r), clock, timeZone: UTC, notificationPort: null, onStartSession, ...extra } });
  return { onStartSession };
}

const slotStatus = (enrolmentId: string, day: number, slotId: string) => screen.getByTestId(`programme-slot-${enrolmentId}-${day}-${slotId}`);

describe('ProgrammesScreen calendar and adherence', () => {
  test('each day of the week shows its slot status in words, computed from the records', async () => {
    const { r, clock } = await pdnWeek();
    await renderProgrammes(r, clock);
    await screen.findByTestId('enrolment-enr-pdn');
    const expected: [number, string, string][] = [
      [0, 'completed', 'Completed'],
      [1, 'partial', 'Partial'],
      [2, 'missed', 'Missed'],
      [3, 'partial', 'Partial'],
      [4, 'due', 'Due now'],
      [5, 'upcoming', 'Upcoming'],
      [6, 'upcoming', 'Upcoming'],
    ];
    for (const [day, status, word] of expected) {
      const cell = slotStatus('enr-pdn', day, 'morning');
      expect(cell.dataset.status).toBe(status);
      expect(cell.textContent).toContain(word);
      expect(cell.textContent).toContain('09:00');
      expect(cell.querySelector('svg')).not.toBeNull(); // an icon too, never colour alone
    }
    const panel = screen.getByTestId('enrolment-enr-pdn');
    expect(panel.textContent).toMatch(/Week of Mon 5 Jan 2026/);
    expect(within(panel).getByText('today').closest('li')!.textContent).toMatch(/Fri 9 Jan/);
  });

  test('adherence counts and percentage of the sessions whose time has passed', async () => {
    const { r, clock } = await pdnWeek();
    await renderProgrammes(r, clock);
    await screen.findByTestId('enrolment-enr-pdn');
    expect(screen.getByTestId('adherence-enr-pdn-completed').textContent).toBe('1');
    expect(screen.getByTestId('adherence-enr-pdn-partial').textContent).toBe('2');
    expect(screen.getByTestId('adherence-enr-pdn-missed').textContent).toBe('1');
    expect(screen.getByTestId('adherence-enr-pdn-rate').textContent).toBe('25 %');
    // 28 days minus the 4 past: today's due one and 23 still to come.
    expect(screen.getByTestId('adherence-enr-pdn-remaining').textContent).toBe('24');
    expect(screen.getByTestId('adherence-enr-pdn').textContent).toMatch(/1 of 4 sessions completed/);
  });

  test('"due next" starts the session through onStartSession with its programme reference', async () => {
    const { r, clock } = await pdnWeek();
    const { onStartSession } = await renderProgrammes(r, clock);
    const next = await screen.findByTestId('next-enr-pdn');
    expect(next.textContent).toMatch(/Due now/);
    expect(next.textContent).toMatch(/Fri 9 Jan at 09:00 \(course day 5, morning\)/);
    expect(next.textContent).toMatch(/Painful diabetic neuropathy session/);
    expect(next.textContent).toMatch(/Can be started until 21:00/);
    await fireEvent.click(screen.getByTestId('next-enr-pdn-start'));
    expect(onStartSession).toHaveBeenCalledWith('pdn-2hz-30min', { enrolmentId: 'enr-pdn', programmeId: 'pdn-4-week', dayIndex: 4, slotId: 'morning' }, 'day');
  });

  test('a slot turns from due to missed when its window passes (the screen re-reads the clock)', async () => {
    const { r, clock } = await pdnWeek(MON + 4 * DAY + 20 * HOUR + 59 * 60_000); // Friday 20:59
    await renderProgrammes(r, clock);
    await screen.findByTestId('enrolment-enr-pdn');
    expect(slotStatus('enr-pdn', 4, 'morning').dataset.status).toBe('due');
    await clock.advance(90_000); // Friday 21:00:30, past the 12 h window
    await waitFor(() => expect(slotStatus('enr-pdn', 4, 'morning').dataset.status).toBe('missed'));
    expect(screen.getByTestId('adherence-enr-pdn-missed').textContent).toBe('2');
    expect(screen.getByTestId('next-enr-pdn').textContent).toMatch(/Upcoming/);
    expect(screen.queryByTestId('next-enr-pdn-start')).toBeNull();
  });

  test('week navigation stays inside the course', async () => {
    const { r, clock } = await pdnWeek();
    await renderProgrammes(r, clock);
    const panel = await screen.findByTestId('enrolment-enr-pdn');
    expect((screen.getByTestId('enr-enr-pdn-prev') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('enr-enr-pdn-next'));
    expect(panel.textContent).toMatch(/Week of Mon 12 Jan 2026/);
    expect(slotStatus('enr-pdn', 7, 'morning').dataset.status).toBe('upcoming');
    for (let i = 0; i < 3; i++) await fireEvent.click(screen.getByTestId('enr-enr-pdn-next'));
    // 28 days from Mon 5 Jan end on Sun 1 Feb: the last week starts Mon 26 Jan.
    expect(panel.textContent).toMatch(/Week of Mon 26 Jan 2026/);
    expect((screen.getByTestId('enr-enr-pdn-next') as HTMLButtonElement).disabled).toBe(true);
    expect(slotStatus('enr-pdn', 27, 'morning').textContent).toMatch(/Upcoming/);
  });

  test('night slots of the wearable schedule (night sessions turned on) start at night intensity', async () => {
    const r = await rig();
    await r.db.put('enrolments', { id: 'enr-w', programmeId: 'wearable-day-night-60-day', channel: 1, startedWallMs: MON + 30 * 60_000, endedWallMs: null, nightSessions: true });
    const clock = new VirtualClock({ startWallMs: MON + HOUR + 10 * 60_000 });
    const { onStartSession } = await renderProgrammes(r, clock);
    const night = await screen.findByTestId('programme-slot-enr-w-0-night-1');
    expect(night.dataset.status).toBe('due');
    expect(night.textContent).toMatch(/night/);
    await fireEvent.click(screen.getByTestId('next-enr-w-start'));
    expect(onStartSession).toHaveBeenCalledWith('wearable-60min', { enrolmentId: 'enr-w', programmeId: 'wearable-day-night-60-day', dayIndex: 0, slotId: 'night-1' }, 'night');
    expect(screen.getByTestId('next-enr-w').textContent).toMatch(/Start this session on channel 2/);
  });
});

describe('ProgrammesScreen daily cap', () => {
  test('usage is shown, and a reached cap refuses the start with the reason', async () => {
    const { r, clock } = await pdnWeek();
    // 12 h of stimulation on channel 1 that ended an hour ago: the whole rolling 24 h cap.
    await seedClosed(r.store, { id: 'long', createdWallMs: clock.wallNow() - 13 * HOUR, outcome: 'completed', activeMs: 12 * HOUR });
    const { onStartSession } = await renderProgrammes(r, clock);
    const cap = await screen.findByTestId('next-enr-pdn-cap');
    expect(cap.textContent).toMatch(/12 h 00 min of 12 h 00 min used in the last 24 h; 0 s left/);
    expect(cap.textContent).toMatch(/Cap reached/);
    const start = screen.getByTestId('next-enr-pdn-start') as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    await fireEvent.click(start);
    expect(onStartSession).not.toHaveBeenCalled();
  });

  test('a session longer than what is left is flagged', async () => {
    const { r, clock } = await pdnWeek();
    await seedClosed(r.store, { id: 'long', createdWallMs: clock.wallNow() - 12 * HOUR, outcome: 'completed', activeMs: 11 * HOUR + 50 * 60_000 });
    await renderProgrammes(r, clock);
    const cap = await screen.findByTestId('next-enr-pdn-cap');
    // 11 h 50 min, plus the 20 s the interrupted Thursday session holds inside the window.
    expect(cap.textContent).toMatch(/9 min 40 s left/);
    expect(cap.textContent).toMatch(/This 30 min 00 s session would be stopped at the cap after 9 min 40 s/);
    expect((screen.getByTestId('next-enr-pdn-start') as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('ProgrammesScreen catalogue and enrolment', () => {
  test('every built-in programme with its schedule, provenance and citations', async () => {
    const r = await rig();
    await renderProgrammes(r, new VirtualClock({ startWallMs: MON }));
    const pdn = await screen.findByTestId('programme-pdn-4-week');
    const schedule = within(pdn).getByRole('table', { name: /Schedule/ });
    expect(within(schedule).getByRole('row', { name: /Course length 28 days from the source/ })).toBeTruthy();
    expect(within(schedule).getByRole('row', { name: /Session times 1 a day: 09:00 StimBench default/ })).toBeTruthy();
    expect(within(schedule).getByRole('row', { name: /Start window 12 h after the slot time, then missed StimBench default/ })).toBeTruthy();
    expect(pdn.textContent).toMatch(/Kumar D, Marshall HJ \(1997\)/);
    expect(within(pdn).getByRole('link', { name: 'doi:10.2337/diacare.20.11.1702' }).getAttribute('href')).toBe('https://doi.org/10.2337/diacare.20.11.1702');
    const pns = screen.getByTestId('programme-pns-60-day-template');
    expect(pns.textContent).toMatch(/schedule template/);
    expect(within(pns).getByRole('link', { name: 'NCT03179202' })).toBeTruthy();
    const weekly = screen.getByTestId('programme-weekly-conventional-4-week');
    expect(weekly.textContent).toMatch(/No clinical source: every value is a StimBench default/);
    expect(within(weekly).getByRole('row', { name: /Days Mon, Wed, Fri/ })).toBeTruthy();
    expect(screen.getByTestId('programme-wearable-day-night-60-day').textContent).toMatch(/70 % of the day intensity/);
    expect(screen.getByTestId('no-enrolments')).toBeTruthy();
  });

  test('enrolling stores an Enrolment and shows its calendar; a second one on the same channel is refused', async () => {
    const r = await rig();
    const clock = new VirtualClock({ startWallMs: MON + 10 * HOUR });
    await renderProgrammes(r, clock, { newId: undefined });
    const card = await screen.findByTestId('programme-weekly-conventional-4-week');
    await fireEvent.change(within(card).getByLabelText('Channel'), { target: { value: '1' } });
    await fireEvent.click(screen.getByTestId('enrol-weekly-conventional-4-week'));
    await waitFor(async () => expect(await r.db.getAll('enrolments')).toHaveLength(1));
    const [stored] = await r.db.getAll('enrolments');
    expect(stored).toMatchObject({ programmeId: 'weekly-conventional-4-week', channel: 1, startedWallMs: MON + 10 * HOUR, endedWallMs: null });
    await screen.findByTestId(`enrolment-${stored!.id}`);
    // Monday's 10:00 slot is at the moment of enrolment, so it is part of the course and due now.
    expect(slotStatus(stored!.id, 0, 'session').dataset.status).toBe('due');
    expect(slotStatus(stored!.id, 2, 'session').dataset.status).toBe('upcoming');
    expect(screen.queryByTestId(`programme-slot-${stored!.id}-1-session`)).toBeNull(); // Tuesday: no session
    await fireEvent.click(screen.getByTestId('enrol-weekly-conventional-4-week'));
    expect((await within(card).findByRole('alert')).textContent).toMatch(/channel 2 is already enrolled in this programme/);
    expect(await r.db.getAll('enrolments')).toHaveLength(1);
  });

  test('a programme with night slots shows the sleep warning; night sessions are off unless switched on', async () => {
    const r = await rig();
    const clock = new VirtualClock({ startWallMs: MON + 10 * HOUR });
    await renderProgrammes(r, clock);
    const card = await screen.findByTestId('programme-wearable-day-night-60-day');
    expect(within(card).getByTestId('sleep-warning-wearable-day-night-60-day').textContent).toMatch(/while asleep/);
    // Programmes without night slots show no such warning.
    expect(within(screen.getByTestId('programme-pdn-4-week')).queryByTestId('sleep-warning-pdn-4-week')).toBeNull();
    const toggle = within(card).getByRole('switch', { name: /Night sessions/ });
    expect(toggle.getAttribute('aria-checked')).toBe('false');
    // The app's one switch control (track, label, state in words), not a bare "Off" button.
    expect(toggle.querySelector('.track')).not.toBeNull();
    expect(toggle.textContent!.replace(/\s+/g, ' ').trim()).toBe('Night sessions (during sleep) Off');
    await fireEvent.click(screen.getByTestId('enrol-wearable-day-night-60-day'));
    await waitFor(async () => expect(await r.db.getAll('enrolments')).toHaveLength(1));
    const [stored] = await r.db.getAll('enrolments');
    expect(stored).toMatchObject({ programmeId: 'wearable-day-night-60-day', nightSessions: false });
    // Day 0 (Monday, enrolled 10:00): the afternoon sessions are on the calendar, the 23:00 bedtime slot is not.
    await screen.findByTestId(`enrolment-${stored!.id}`);
    expect(slotStatus(stored!.id, 0, 'day-11')).toBeTruthy();
    expect(screen.queryByTestId(`programme-slot-${stored!.id}-0-bedtime-23`)).toBeNull();
    expect(screen.queryByTestId(`programme-slot-${stored!.id}-1-night-1`)).toBeNull();
    // Turning them on is a deliberate act on another channel.
    await fireEvent.change(within(card).getByLabelText('Channel'), { target: { value: '1' } });
    await fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    await fireEvent.click(screen.getByTestId('enrol-wearable-day-night-60-day'));
    await waitFor(async () => expect(await r.db.getAll('enrolments')).toHaveLength(2));
    expect((await r.db.getAll('enrolments')).find((e) => e.channel === 1)).toMatchObject({ nightSessions: true });
  });

  test('enrolling from tomorrow leaves today out of the course', async () => {
    const r = await rig();
    const clock = new VirtualClock({ startWallMs: MON + 7 * HOUR });
    await renderProgrammes(r, clock);
    const card = await screen.findByTestId('programme-pdn-4-week');
    await fireEvent.change(within(card).getByLabelText('Course starts'), { target: { value: 'tomorrow' } });
    await fireEvent.click(screen.getByTestId('enrol-pdn-4-week'));
    await waitFor(async () => expect(await r.db.getAll('enrolments')).toHaveLength(1));
    const [stored] = await r.db.getAll('enrolments');
    expect(stored!.startedWallMs).toBe(MON + DAY);
    const next = await screen.findByTestId(`next-${stored!.id}`);
    expect(next.textContent).toMatch(/Tue 6 Jan at 09:00 \(course day 1, morning\)/);
  });

  test('leaving a programme asks first, then moves it to past enrolments', async () => {
    const { r, clock } = await pdnWeek();
    await renderProgrammes(r, clock);
    const panel = await screen.findByTestId('enrolment-enr-pdn');
    await fireEvent.click(within(panel).getByRole('button', { name: 'Leave this programme…' }));
    expect(within(panel).getByRole('alert').textContent).toMatch(/No session after now will be due/);
    await fireEvent.click(screen.getByTestId('enr-enr-pdn-leave'));
    await waitFor(async () => expect((await r.db.get('enrolments', 'enr-pdn'))!.endedWallMs).toBe(clock.wallNow()));
    expect(await screen.findByTestId('no-enrolments')).toBeTruthy();
    expect(screen.getByText('Past enrolments (1)')).toBeTruthy();
    expect(screen.getByTestId('enr-enr-pdn-state').textContent).toBe('left early');
  });
});

describe('ProgrammesScreen notifications', () => {
  test('turning them on asks permission, then notifies the due session once', async () => {
    const { r, clock } = await pdnWeek();
    const { port, shown } = fakePort('granted');
    await renderProgrammes(r, clock, { notificationPort: port });
    await screen.findByTestId('enrolment-enr-pdn');
    const toggle = screen.getByTestId('notify-toggle');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    await fireEvent.click(toggle);
    await waitFor(() => expect(shown).toHaveLength(1));
    expect(port.requestPermission).toHaveBeenCalledTimes(1);
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(shown[0]).toMatchObject({ title: 'StimBench: a programme session is due', tag: 'enr-pdn/4/morning' });
    expect(shown[0]!.body).toMatch(/day 5, morning/);
    expect((await r.db.get('settings', 'programmes.notifications'))?.value).toBe(true);
    await clock.advance(60_000);
    expect(shown).toHaveLength(1);
  });

  test('a refusal is explained and nothing is shown', async () => {
    const { r, clock } = await pdnWeek();
    const { port, shown } = fakePort('denied');
    await renderProgrammes(r, clock, { notificationPort: port });
    await screen.findByTestId('enrolment-enr-pdn');
    await fireEvent.click(screen.getByTestId('notify-toggle'));
    await waitFor(() => expect(screen.getByTestId('programme-notifications').textContent).toMatch(/blocks notifications/));
    expect(screen.getByTestId('notify-toggle').getAttribute('aria-pressed')).toBe('false');
    expect(shown).toHaveLength(0);
  });

  test('a dismissed permission prompt is said so, and asking again is possible', async () => {
    const { r, clock } = await pdnWeek();
    const { port } = fakePort('default');
    await renderProgrammes(r, clock, { notificationPort: port });
    await screen.findByTestId('enrolment-enr-pdn');
    await fireEvent.click(screen.getByTestId('notify-toggle'));
    await waitFor(() => expect(screen.getByTestId('programme-notifications').textContent).toMatch(/no answer .*press again to be asked/));
    await fireEvent.click(screen.getByTestId('notify-toggle'));
    await waitFor(() => expect(port.requestPermission).toHaveBeenCalledTimes(2));
  });

  test('without a Notifications API the screen says so', async () => {
    const r = await rig();
    await renderProgrammes(r, new VirtualClock({ startWallMs: MON }));
    expect(screen.getByTestId('programme-notifications').textContent).toMatch(/no Notifications API/);
    expect(screen.queryByTestId('notify-toggle')).toBeNull();
  });
});
