/**
 * Which software this command line is, for the records it writes: the package version, and the build:
 * STIMBENCH_BUILD_ID for a release, else the git commit of a source checkout, else "installed".
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { SoftwareIdentity } from '../lib/session/recordTypes.ts';

let identity: SoftwareIdentity | null = null;

export function cliSoftware(): SoftwareIdentity {
  if (identity) return identity;
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  let build = process.env.STIMBENCH_BUILD_ID ?? '';
  if (!build) {
    try {
      build = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], { cwd: new URL('../..', import.meta.url), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    } catch {
      build = 'installed';
    }
  }
  identity = { name: 'stimbench CLI', version, build };
  return identity;
}
