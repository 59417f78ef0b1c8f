/**
 * Drives a periodic callback from tickerWorker.ts instead of a main-thread timer (see the worker for
 * why). The callback runs on the main thread, so it only runs while the page is alive and responsive.
 */
export class WorkerTicker {
  #worker: Worker | null = null;
  #ticks = 0;

  /** Ticks delivered so far (link-health display, tests). */
  get ticks(): number {
    return this.#ticks;
  }

  start(fn: () => void, periodMs: number): void {
    this.stop();
    const worker = new Worker(new URL('./tickerWorker.ts', import.meta.url), { type: 'module', name: 'heartbeat-ticker' });
    worker.onmessage = () => {
      this.#ticks++;
      fn();
    };
    worker.postMessage({ periodMs });
    this.#worker = worker;
  }

  stop(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }
}
