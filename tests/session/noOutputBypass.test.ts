/**
 * No path from any screen to output may leave no record: only the session engine may send START or
 * SET_AMPLITUDE (the commands that start or raise output). This reads the app's source and fails when
 * any other file calls a device's start() or setAmplitude(). SET_PROGRAM only stores a program (the board
 * refuses it while the channel runs: PROTOCOL.md, NACK busy), and STOP, ESTOP and clearing a fault only
 * reduce output, so those may be called from anywhere.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
/**
 * The engine, which records before it raises (its user actions in SessionEngine.ts, the run they drive in
 * SessionRun.ts), and the device layer that implements the commands.
 */
const ALLOWED = [/^src\/lib\/session\/Session(?:Engine|Run)\.ts$/, /^src\/lib\/device\//];
/** A call of start() or setAmplitude() on anything named like a device or client, however it is reached. */
const OUTPUT_CALL = /\b(?:device|client|stimulator|board)\b\s*[!?]*\s*\.\s*(?:start|setAmplitude)\s*\(|\.setAmplitude\s*\(/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(entry.name) ? [path] : [];
  });
}

export function outputBypasses(files: readonly { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    if (ALLOWED.some((re) => re.test(path))) continue;
    for (const match of text.matchAll(OUTPUT_CALL)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push(`${path}:${line}: ${match[0]}`);
    }
  }
  return found;
}

describe('no output without a record', () => {
  test('nothing outside the session engine calls a device start() or setAmplitude()', () => {
    const files = sourceFiles(join(ROOT, 'src')).map((path) => ({ path: relative(ROOT, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));
    expect(files.length).toBeGreaterThan(50);
    expect(outputBypasses(files)).toEqual([]);
  });

  test('the check itself catches the forms a bypass takes', () => {
    const bypasses = [
      'onclick={() => act(() => connection.device!.start(channel))}',
      'await connection.device?.setAmplitude(channel, clamped);',
      'const d = this.client; await d.setAmplitude(0, 5000);',
      'await device.start(0);',
    ];
    for (const text of bypasses) expect(outputBypasses([{ path: 'src/ui/components/X.svelte', text }])).toHaveLength(1);
    // The engine's own calls, and starts of things that are not devices, are fine.
    expect(outputBypasses([{ path: 'src/lib/session/SessionEngine.ts', text: 'await this.#device.start(program.channel);' }])).toEqual([]);
    expect(outputBypasses([{ path: 'src/ui/state/session.svelte.ts', text: 'await engine.start(plan); this.#labSync.start(); await this.#notifier.start();' }])).toEqual([]);
  });
});
