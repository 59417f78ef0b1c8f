/**
 * The electrode picker (a property of each channel, 1–150 cm²), the retired global settings (electrode
 * area, density raise) dropped on load, and the per-session density override: armed only with a typed
 * reason, never stored, shown in the STOP bar while armed.
 */
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, test } from 'vitest';
import ElectrodePicker from '../../src/ui/components/ElectrodePicker.svelte';
import StopBar from '../../src/ui/components/StopBar.svelte';
import { BoardConnectionState } from '../../src/ui/state/connection.svelte.ts';
import { DensityOverrideState } from '../../src/ui/state/densityOverride.svelte.ts';
import { ElectrodeState } from '../../src/ui/state/electrodes.svelte.ts';
import { SettingsState } from '../../src/ui/state/settings.svelte.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const map = new Map(Object.entries(initial));
  return { map, getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

describe('ElectrodePicker: the electrode is a property of each channel', () => {
  test('starts unset, says no program is sent without it, and a common pad size sets the area in cm²', async () => {
    const storage = memoryStorage();
    const electrodes = new ElectrodeState(storage);
    render(ElectrodePicker, { props: { electrodes, channel: 1 } });
    expect(electrodes.areaCm2(1)).toBeNull();
    expect(screen.getByText(/No program is sent on this channel until its pad size is chosen/)).toBeTruthy();
    const select = screen.getByLabelText(/Electrode pads on channel 2/) as HTMLSelectElement;
    const labels = [...select.options].map((o) => o.textContent);
    for (const pad of [/2 × 2 cm square — 4 cm²/, /4 × 4 cm square — 16 cm²/, /5 × 5 cm square — 25 cm²/, /5 × 9 cm rectangle — 45 cm²/, /Round, 3.2 cm diameter — 8.04 cm²/, /Round, 5 cm diameter — 19.63 cm²/]) {
      expect(labels.some((l) => pad.test(l ?? ''))).toBe(true);
    }
    await fireEvent.change(select, { target: { value: 'rect-5x9' } });
    expect(electrodes.areaCm2(1)).toBe(45);
    expect(electrodes.areasCm2).toEqual({ 1: 45 });
    expect(JSON.parse(storage.map.get('stimbench.electrodes.v1')!)).toEqual({ 1: { padId: 'rect-5x9', areaCm2: 45 } });
    expect(await screen.findByText(/45 cm²/, { selector: 'strong' })).toBeTruthy();
  });

  test('an entered area outside 1–150 cm² is refused with the reason; a plausible one is used', async () => {
    const electrodes = new ElectrodeState(memoryStorage());
    render(ElectrodePicker, { props: { electrodes, channel: 0 } });
    await fireEvent.change(screen.getByLabelText(/Electrode pads on channel 1/), { target: { value: 'custom' } });
    const input = screen.getByLabelText(/Area of one pad/) as HTMLInputElement;
    for (const bad of ['0.5', '151', 'abc']) {
      await fireEvent.input(input, { target: { value: bad } });
      await fireEvent.click(screen.getByTestId('electrode-area-use-0'));
      expect(screen.getByRole('alert').textContent).toMatch(/Refused: .*(outside the plausible 1–150 cm²|must be a number)/);
      expect(electrodes.areaCm2(0)).toBeNull();
    }
    await fireEvent.input(input, { target: { value: '12,5' } });
    await fireEvent.click(screen.getByTestId('electrode-area-use-0'));
    expect(electrodes.choice(0)).toEqual({ padId: null, areaCm2: 12.5 });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('an implausible stored area is dropped on load (the channel asks again)', () => {
    const electrodes = new ElectrodeState(memoryStorage({ 'stimbench.electrodes.v1': JSON.stringify({ 0: { padId: null, areaCm2: 900 }, 1: { padId: 'rect-4x4', areaCm2: 16 } }) }));
    expect(electrodes.areasCm2).toEqual({ 1: 16 });
  });
});

describe('the global electrode area and density raise are retired', () => {
  test('an old settings entry with an electrode area and a raised density limit loads without them and is rewritten', () => {
    const storage = memoryStorage({
      'stimbench.settings.v1': JSON.stringify({ labCap: { maxAmplitudeUa: 30_000, maxCurrentDensityUaPerCm2: 5_000 }, electrodeAreaCm2: 25, labServerUrl: '', labToken: '' }),
    });
    const settings = new SettingsState(storage);
    expect(settings.labCap).toEqual({ maxAmplitudeUa: 30_000 });
    expect('electrodeAreaCm2' in settings).toBe(false);
    const saved = JSON.parse(storage.map.get('stimbench.settings.v1')!) as Record<string, unknown>;
    expect(saved).toEqual({ labCap: { maxAmplitudeUa: 30_000 }, labServerUrl: '', labToken: '' });
    settings.update({ labCap: { maxCurrentDensityUaPerCm2: 9_000 } as never });
    expect(settings.labCap).toEqual({});
  });
});

describe('density override: deliberate, per session, shown in the STOP bar', () => {
  test('is armed only with a limit in range and a typed reason, and is never stored', () => {
    const o = new DensityOverrideState();
    expect(o.arm({ limitUaPerCm2: 3_000, reason: '' })).toMatch(/type the reason/);
    expect(o.arm({ limitUaPerCm2: 12_000, reason: 'protocol 7, approved' })).toMatch(/at most 10 mA\/cm²/);
    expect(o.armed).toBeNull();
    expect(o.arm({ limitUaPerCm2: 3_000, reason: '  protocol 7, approved ' })).toBeNull();
    expect(o.armed).toEqual({ limitUaPerCm2: 3_000, reason: 'protocol 7, approved' });
  });

  test('the STOP bar shows an armed override with its reason, and it can be withdrawn there', async () => {
    const densityOverride = new DensityOverrideState();
    render(StopBar, { props: { connection: new BoardConnectionState(null), densityOverride } });
    expect(screen.queryByTestId('density-override-active')).toBeNull();
    densityOverride.arm({ limitUaPerCm2: 3_500, reason: 'protocol 7, small pads' });
    const note = await screen.findByTestId('density-override-active');
    expect(note.textContent).toMatch(/Density limit raised to 3\.5 mA\/cm²/);
    // It is armed on the Session screen and a manual Control-screen start does not use it: the bar says so.
    expect(note.textContent).toMatch(/for the next Session-screen session only \(not manual starts; default 2 mA\/cm²\)/);
    expect(note.textContent).toMatch(/Reason: protocol 7, small pads/);
    await fireEvent.click(screen.getByTestId('density-override-withdraw'));
    expect(densityOverride.armed).toBeNull();
    expect(screen.queryByTestId('density-override-active')).toBeNull();
  });

  test('a long override reason takes one short line in the sticky STOP bar; the whole reason is in its tooltip', async () => {
    const densityOverride = new DensityOverrideState();
    render(StopBar, { props: { connection: new BoardConnectionState(null), densityOverride } });
    const reason = `protocol 7, small pads on the forearm, ${'approved by the lab lead after a skin check; '.repeat(8)}`.trim();
    expect(densityOverride.arm({ limitUaPerCm2: 3_500, reason })).toBeNull();
    const shown = await screen.findByTestId('density-override-reason-shown');
    expect(shown.textContent!.length).toBeLessThanOrEqual('Reason: '.length + 60);
    expect(shown.textContent).toMatch(/^Reason: protocol 7, small pads on the forearm, .*…$/);
    expect(shown.getAttribute('title')).toBe(reason);
  });
});
