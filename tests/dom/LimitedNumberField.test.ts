import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, test, vi } from 'vitest';
import LimitedNumberField from '../../src/ui/components/LimitedNumberField.svelte';
import { effectiveLimits, type Bound } from '../../firmware-protocol/src/index.ts';

const conventional = effectiveLimits('conventional');

function renderFrequency(value = 1000, max: Bound = conventional.frequencyDeciHz.max) {
  const onchange = vi.fn();
  render(LimitedNumberField, {
    props: { id: 'f', label: 'Frequency', unit: 'Hz', scale: 10, step: 1, value, min: conventional.frequencyDeciHz.min, max, onchange },
  });
  const input = screen.getByLabelText(/Frequency/) as HTMLInputElement;
  return { input, onchange };
}

describe('LimitedNumberField', () => {
  test('shows the value in display units and the limit range with its source', () => {
    const { input } = renderFrequency(1000);
    expect(input.value).toBe('100.0');
    const limits = screen.getByText(/50\.0–150\.0 Hz/);
    expect(limits.textContent).toMatch(/mode table/);
    expect(limits.textContent).toMatch(/conventional mode/);
  });

  test('an out-of-range typed value is refused with the reason, and never reaches onchange', async () => {
    const { input, onchange } = renderFrequency(1000);
    await fireEvent.input(input, { target: { value: '200' } });
    await fireEvent.change(input);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/Refused: 200\.0 Hz is above the 150\.0 Hz limit/);
    expect(alert.textContent).toMatch(/mode table: conventional mode/);
    expect(onchange).not.toHaveBeenCalled();
    expect(input.value).toBe('100.0');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  test('below the minimum is refused too', async () => {
    const { input, onchange } = renderFrequency(1000);
    await fireEvent.input(input, { target: { value: '49.9' } });
    await fireEvent.change(input);
    expect(screen.getByRole('alert').textContent).toMatch(/below the 50\.0 Hz limit/);
    expect(onchange).not.toHaveBeenCalled();
  });

  test('non-numbers are refused', async () => {
    const { input, onchange } = renderFrequency(1000);
    await fireEvent.input(input, { target: { value: '12abc' } });
    await fireEvent.change(input);
    expect(screen.getByRole('alert').textContent).toMatch(/not a number/);
    expect(onchange).not.toHaveBeenCalled();
  });

  test('an in-range value is committed in wire units (0.1 Hz)', async () => {
    const { input, onchange } = renderFrequency(1000);
    await fireEvent.input(input, { target: { value: '120.5' } });
    await fireEvent.change(input);
    expect(onchange).toHaveBeenCalledWith(1205);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('keyboard steps: arrows by one step, Page keys by ten, never past the bound', async () => {
    const { input, onchange } = renderFrequency(1495);
    await fireEvent.keyDown(input, { key: 'ArrowUp' });
    expect(onchange).toHaveBeenLastCalledWith(1496);
    await fireEvent.keyDown(input, { key: 'PageUp' });
    expect(onchange).toHaveBeenLastCalledWith(1500); // 1505 would pass the 150 Hz bound
    await fireEvent.keyDown(input, { key: 'PageDown' });
    expect(onchange).toHaveBeenLastCalledWith(1485);
    await fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(onchange).toHaveBeenLastCalledWith(1494);
  });

  test('shows a board cap or lab cap as the binding limit when it is tighter', () => {
    const lab = effectiveLimits('conventional', { labCap: { maxFrequencyDeciHz: 1200 } });
    renderFrequency(1200, lab.frequencyDeciHz.max);
    const limits = screen.getByText(/50\.0–120\.0 Hz/);
    expect(limits.textContent).toMatch(/lab cap/);
  });
});

describe('LimitedNumberField: a refusal does not outlive its cause', () => {
  const props = (extra: Record<string, unknown> = {}) => ({
    id: 'f', label: 'Frequency', unit: 'Hz', scale: 10, step: 1, value: 1000,
    min: conventional.frequencyDeciHz.min, max: conventional.frequencyDeciHz.max, onchange: vi.fn(), ...extra,
  });
  async function refuse500(input: HTMLInputElement): Promise<void> {
    await fireEvent.input(input, { target: { value: '500' } });
    await fireEvent.change(input);
    expect(screen.getByRole('alert').textContent).toMatch(/Refused: 500\.0 Hz/);
  }

  test('clears as soon as the typed text becomes a valid value (before it is committed)', async () => {
    render(LimitedNumberField, { props: props() });
    const input = screen.getByLabelText(/Frequency/) as HTMLInputElement;
    await refuse500(input);
    await fireEvent.input(input, { target: { value: '120' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBeNull();
  });

  test('clears when the program holding the field is accepted', async () => {
    const { rerender } = render(LimitedNumberField, { props: props({ accepted: 0 }) });
    const input = screen.getByLabelText(/Frequency/) as HTMLInputElement;
    await refuse500(input);
    await rerender(props({ accepted: 1 }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  test('clears when the value changes from outside (a preset, the board echo)', async () => {
    const { rerender } = render(LimitedNumberField, { props: props() });
    const input = screen.getByLabelText(/Frequency/) as HTMLInputElement;
    await refuse500(input);
    await rerender(props({ value: 800 }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(input.value).toBe('80.0');
  });
});
