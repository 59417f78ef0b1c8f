/**
 * The static bundle: the production build as one zip that any HTTPS host can serve (the files at the
 * zip's root). fflate writes the zip: a small, dependency-free, well-kept library, instead of
 * hand-written zip records.
 */
import { zipSync, type Zippable } from 'fflate';
import { readStaticFiles } from './staticFiles.ts';

export function zipDirectory(dir: string): Uint8Array {
  const files = readStaticFiles(dir);
  if (!files) throw new Error(`no index.html in ${dir}: not an app build`);
  const zippable: Zippable = {};
  // Source maps stay out: a lab serves the app, not its sources.
  for (const path of [...files.keys()].sort()) if (!path.endsWith('.map')) zippable[path] = files.get(path)!.body;
  return zipSync(zippable, { level: 9 });
}
