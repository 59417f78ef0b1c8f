/**
 * Closing the tab or navigating away stops stimulation: ESTOP is written on pagehide (fired for close,
 * reload and navigation, and before the page enters the back/forward cache). The write may not finish
 * before the page is gone; the board's watchdog then stops output within its period anyway.
 */
export function installPageExitStop(target: Window, estop: () => void): () => void {
  const onExit = () => estop();
  target.addEventListener('pagehide', onExit);
  target.addEventListener('beforeunload', onExit);
  return () => {
    target.removeEventListener('pagehide', onExit);
    target.removeEventListener('beforeunload', onExit);
  };
}
