/**
 * What a command prints. JSON lines (one object per line, `event` naming it) with `--json` or whenever
 * stdout is not a terminal, so scripts and CI parse it; otherwise plain text, with the live progress
 * line rewritten in place. Errors always go to stderr.
 */
export interface Output {
  readonly json: boolean;
  /** One JSON line, or its plain-words form. */
  event(event: string, fields: Record<string, unknown>, human: string | null): void;
  /** A progress line: rewritten in place on a terminal; a JSON line otherwise. */
  progress(fields: Record<string, unknown>, human: string): void;
  /** Plain text (human mode only). */
  text(line: string): void;
  /** End an in-place progress line (before other output). */
  endProgress(): void;
}

export function createOutput(options: { json?: boolean }): Output {
  const json = options.json === true || !process.stdout.isTTY;
  let progressShown = false;
  const endProgress = () => {
    if (progressShown) process.stdout.write('\n');
    progressShown = false;
  };
  return {
    json,
    event(event, fields, human) {
      if (json) process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
      else if (human !== null) {
        endProgress();
        process.stdout.write(`${human}\n`);
      }
    },
    progress(fields, human) {
      if (json) process.stdout.write(`${JSON.stringify({ event: 'progress', ...fields })}\n`);
      else {
        process.stdout.write(`\r\x1b[2K${human}`);
        progressShown = true;
      }
    },
    text(line) {
      if (!json) {
        endProgress();
        process.stdout.write(`${line}\n`);
      }
    },
    endProgress,
  };
}

/** µA → "12.5 mA". */
export const mA = (ua: number | null): string => (ua === null ? '—' : `${(ua / 1000).toFixed(ua % 1000 === 0 ? 0 : 1)} mA`);

/** ms → "1:05" (minutes:seconds) or "1:02:03". */
export function clockTime(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}
