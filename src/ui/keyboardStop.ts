/**
 * Global STOP shortcuts: Space and Escape send ESTOP from anywhere in the app (Betaflight users asked for
 * exactly this). Listening in the capture phase on window means no component can swallow the key first.
 * One exception keeps text entry usable: while no output is running, Space typed into a text field is
 * left alone. Escape always stops. Space on a focused button no longer clicks it; Enter still does.
 */
export interface KeyboardStopOptions {
  estop: () => void;
  /** Whether any output may be running (stimulating, or state unknown). */
  outputMayBeOn: () => boolean;
}

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target.isContentEditable) return true;
  return target instanceof HTMLInputElement && ['text', 'search', 'url', 'password', 'email', 'tel'].includes(target.type);
}

export function installKeyboardStop(target: Window, options: KeyboardStopOptions): () => void {
  const onKeyDown = (e: KeyboardEvent) => {
    const isSpace = e.key === ' ' || e.code === 'Space';
    if (e.key !== 'Escape' && !isSpace) return;
    if (isSpace && isTextEntry(e.target) && !options.outputMayBeOn()) return;
    e.preventDefault();
    e.stopPropagation();
    options.estop();
  };
  target.addEventListener('keydown', onKeyDown, { capture: true });
  return () => target.removeEventListener('keydown', onKeyDown, { capture: true });
}
