/**
 * The static bundle: the production build as one zip that any HTTPS host can serve (the files at the
 * zip's root, index.html first). fflate writes the zip: a small, dependency-free, well-kept library,
 * instead of hand-written zip records.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { zipSync, type Zippable } from 'fflate';

export function zipDirectory(dir: string): Uint8Array {
  const files: Zippable = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      // Source maps stay out: a lab serves the app, not its sources.
      else if (!entry.name.endsWith('.map')) files[relative(dir, path).split(sep).join('/')] = new Uint8Array(readFileSync(path));
    }
  };
  walk(dir);
  if (!('index.html' in files)) throw new Error(`no index.html in ${dir}: not an app build`);
  return zipSync(files, { level: 9 });
}
