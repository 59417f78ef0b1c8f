/**
 * Fixed-window rate limit per key (client address for logins, bench for ingest), in memory: at most
 * `limit` requests per `windowMs`. Over the limit → 429 with Retry-After, which the app's sync honours.
 * The clock is injected so tests never wait on wall time. A server restart forgets the counts; that is
 * acceptable for a limit whose job is to slow password guessing and runaway clients.
 */
export interface RateLimiter {
  /** null when allowed; otherwise the ms until the window resets. */
  take(key: string): number | null;
}

export function fixedWindowLimiter(limit: number, windowMs: number, now: () => number): RateLimiter {
  const windows = new Map<string, { startMs: number; count: number }>();
  return {
    take(key) {
      const t = now();
      let window = windows.get(key);
      if (!window || t - window.startMs >= windowMs) {
        if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.startMs >= windowMs) windows.delete(k);
        window = { startMs: t, count: 0 };
        windows.set(key, window);
      }
      window.count++;
      return window.count > limit ? window.startMs + windowMs - t : null;
    },
  };
}
