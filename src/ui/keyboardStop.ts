/**
 * Global STOP shortcuts: Space and Escape send ESTOP from anywhere in the app (Betaflight users asked for
 * exactly this). Listening in the capture phase on window means no component can swallow the key first.
 * One exception keeps text entry usable: while no output is running, Space typed into a text field is
 * left alone. Escape always stops.
 *
 * Space never activates the focused control: browsers click a button (or tick a checkbox) on the Space
 * key's RELEASE, so both keydown and keyup are cancelled. A Space meant as STOP can therefore never also
 * press "+1 mA" under the focus. Every control works with Enter instead (switches, not checkboxes).
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

const isSpace = (e: KeyboardEvent) => e.key === ' ' || e.code === 'Space';

export function installKeyboardStop(target: Window, options: KeyboardStopOptions): () => void {
  /** Space went down as typing into a text field: its release is typing too, and is left alone. */
  let spaceTyped = false;
  const onKeyDown = (e: KeyboardEvent) => {
    const space = isSpace(e);
    if (e.key !== 'Escape' && !space) return;
    if (space && isTextEntry(e.target) && !options.outputMayBeOn()) {
      spaceTyped = true;
      return;
    }
    if (space) spaceTyped = false;
    e.preventDefault();
    e.stopPropagation();
    options.estop();
  };
  const onKeyUp = (e: KeyboardEvent) => {
    if (!isSpace(e)) return;
    const typed = spaceTyped && isTextEntry(e.target);
    spaceTyped = false;
    if (typed) return;
    e.preventDefault();
    e.stopPropagation();
  };
  target.addEventListener('keydown', onKeyDown, { capture: true });
  target.addEventListener('keyup', onKeyUp, { capture: true });
  return () => {
    target.removeEventListener('keydown', onKeyDown, { capture: true });
    target.removeEventListener('keyup', onKeyUp, { capture: true });
  };
}
