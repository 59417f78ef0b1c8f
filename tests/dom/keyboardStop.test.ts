import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { installKeyboardStop } from '../../src/ui/keyboardStop.ts';
import Switch from '../../src/ui/components/Switch.svelte';
import { installPageExitStop } from '../../src/ui/pageExitStop.ts';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.innerHTML = '';
});

function press(target: EventTarget, key: string, type: 'keydown' | 'keyup' = 'keydown'): KeyboardEvent {
  const e = new KeyboardEvent(type, { key, code: key === ' ' ? 'Space' : key, bubbles: true, cancelable: true });
  target.dispatchEvent(e);
  return e;
}

describe('global STOP keys', () => {
  test('Space and Escape send ESTOP from anywhere, even when a component stops propagation', () => {
    const estop = vi.fn();
    cleanup = installKeyboardStop(window, { estop, outputMayBeOn: () => true });
    const button = document.createElement('button');
    button.addEventListener('keydown', (e) => e.stopPropagation());
    document.body.append(button);
    expect(press(button, ' ').defaultPrevented).toBe(true);
    press(document.body, 'Escape');
    expect(estop).toHaveBeenCalledTimes(2);
  });

  test('while output may be on, Space in a text field still stops', () => {
    const estop = vi.fn();
    cleanup = installKeyboardStop(window, { estop, outputMayBeOn: () => true });
    const input = document.createElement('input');
    input.type = 'text';
    document.body.append(input);
    press(input, ' ');
    expect(estop).toHaveBeenCalledTimes(1);
  });

  test('with no output running, Space types into a text field, but Escape still stops', () => {
    const estop = vi.fn();
    cleanup = installKeyboardStop(window, { estop, outputMayBeOn: () => false });
    const input = document.createElement('input');
    input.type = 'url';
    document.body.append(input);
    expect(press(input, ' ').defaultPrevented).toBe(false);
    expect(estop).not.toHaveBeenCalled();
    press(input, 'Escape');
    expect(estop).toHaveBeenCalledTimes(1);
  });

  test('other keys do nothing', () => {
    const estop = vi.fn();
    cleanup = installKeyboardStop(window, { estop, outputMayBeOn: () => true });
    press(document.body, 'a');
    press(document.body, 'Enter');
    expect(estop).not.toHaveBeenCalled();
  });

  test('leaving the page (pagehide, beforeunload) sends ESTOP', () => {
    const estop = vi.fn();
    cleanup = installPageExitStop(window, estop);
    window.dispatchEvent(new Event('pagehide'));
    window.dispatchEvent(new Event('beforeunload'));
    expect(estop).toHaveBeenCalledTimes(2);
  });

  test('the release of a STOP Space is cancelled too, so the focused button ("+1 mA") is never clicked by it', () => {
    const estop = vi.fn();
    cleanup = installKeyboardStop(window, { estop, outputMayBeOn: () => true });
    const raise = document.createElement('button');
    raise.textContent = '+1 mA';
    const keyupSeenByButton = vi.fn();
    raise.addEventListener('keyup', keyupSeenByButton);
    document.body.append(raise);
    raise.focus();
    expect(press(raise, ' ').defaultPrevented).toBe(true);
    // Browsers activate a button on Space's keyup: that default must be cancelled and the key kept from it.
    expect(press(raise, ' ', 'keyup').defaultPrevented).toBe(true);
    expect(keyupSeenByButton).not.toHaveBeenCalled();
    expect(estop).toHaveBeenCalledTimes(1);
  });

  test('Space typed into a text field with no output running is left alone on release too', () => {
    const estop = vi.fn();
    cleanup = installKeyboardStop(window, { estop, outputMayBeOn: () => false });
    const input = document.createElement('input');
    input.type = 'text';
    document.body.append(input);
    expect(press(input, ' ').defaultPrevented).toBe(false);
    expect(press(input, ' ', 'keyup').defaultPrevented).toBe(false);
    expect(estop).not.toHaveBeenCalled();
  });
});

describe('Switch (instead of a checkbox: operable with Enter, never with Space)', () => {
  test('is a button with role switch and aria-checked, and a press (Enter or click) toggles it', async () => {
    const onchange = vi.fn();
    render(Switch, { props: { label: 'Titrate', checked: false, onchange } });
    const sw = screen.getByRole('switch', { name: /Titrate/ });
    expect(sw.tagName).toBe('BUTTON');
    expect(sw.getAttribute('aria-checked')).toBe('false');
    await fireEvent.click(sw);
    expect(sw.getAttribute('aria-checked')).toBe('true');
    expect(onchange).toHaveBeenLastCalledWith(true);
    await fireEvent.click(sw);
    expect(sw.getAttribute('aria-checked')).toBe('false');
  });

  test('Space on a focused switch is STOP: ESTOP is sent and the switch does not change', async () => {
    const estop = vi.fn();
    cleanup = installKeyboardStop(window, { estop, outputMayBeOn: () => false });
    render(Switch, { props: { label: 'Titrate', checked: true } });
    const sw = screen.getByRole('switch', { name: /Titrate/ });
    sw.focus();
    expect(press(sw, ' ').defaultPrevented).toBe(true);
    expect(press(sw, ' ', 'keyup').defaultPrevented).toBe(true);
    expect(estop).toHaveBeenCalledTimes(1);
    expect(sw.getAttribute('aria-checked')).toBe('true');
  });
});
