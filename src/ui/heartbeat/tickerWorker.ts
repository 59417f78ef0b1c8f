/**
 * A metronome in a dedicated worker. Browsers throttle a background tab's main-thread timers to once a
 * second or less (and Chrome's intensive throttling to once a minute), which would starve the 100 ms
 * heartbeat; a dedicated worker's timers are not throttled that way, and its messages to the page are
 * delivered as ordinary tasks. The page sends the HEARTBEAT when the tick arrives, so a hung main thread
 * sends none and the board's watchdog stops the output. See SAFETY.md, "Background and hangs".
 */
/** The worker scope, typed minimally (the project compiles against the DOM lib, not the webworker lib). */
const scope = self as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
};

let timer: ReturnType<typeof setInterval> | undefined;

scope.onmessage = (event: MessageEvent<{ periodMs: number } | { stop: true }>) => {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  const m = event.data;
  if ('periodMs' in m) timer = setInterval(() => scope.postMessage(performance.now()), m.periodMs);
};
