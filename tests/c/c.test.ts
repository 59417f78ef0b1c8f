/**
 * The C firmware inside `npm test`: `make -C firmware-protocol/c test` builds the core with
 * -Wall -Wextra -Wconversion -Werror -pedantic, runs its unit tests under AddressSanitizer and
 * UndefinedBehaviorSanitizer (they print "N passed, N failed"), then a bounded libFuzzer run on the
 * receiver and dispatcher seeded from the golden vectors. A missing compiler fails here, never skips
 * (`npm test` first runs .ci/ensure-tools.sh, which installs or names the Debian packages).
 */
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const C_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'firmware-protocol', 'c');

describe('C firmware (make test)', () => {
  it('unit tests pass under ASan/UBSan and the fuzz smoke run finds nothing', { timeout: 300_000 }, async () => {
    let stdout = '';
    try {
      ({ stdout } = await run('make', ['-C', C_DIR, '--no-print-directory', 'test'], { maxBuffer: 16 * 1024 * 1024 }));
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`make test failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    }
    const summary = /(\d+) passed, (\d+) failed/.exec(stdout);
    expect(summary, stdout).not.toBeNull();
    expect(Number(summary![2])).toBe(0);
    expect(Number(summary![1])).toBeGreaterThanOrEqual(30);
    const executed = /stat::number_of_executed_units:\s*(\d+)/.exec(stdout);
    expect(executed, stdout).not.toBeNull();
    expect(Number(executed![1])).toBeGreaterThan(1000);
  });
});
