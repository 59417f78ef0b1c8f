import { afterEach, describe, expect, test, vi } from 'vitest';
import { installKeyboardStop } from '../../src/ui/keyboardStop.ts';
import { installPageExitStop } from '../../src/ui/pageExitStop.ts';

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
  document.body.innerHTML = '';
});

function press(target: EventTarget, key: string): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key, code: key === ' ' ? 'Space' : key, bubbles: true, cancelable: true });
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
});
