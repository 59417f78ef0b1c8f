/**
 * Build a Vite app on demand: when its output is missing or older than its sources, so a command
 * (`stimbench app`, `stimbench lab`) serves a current build without a separate step. The build goes to a
 * temporary sibling directory and is renamed into place, so a server never serves half a build and two
 * processes starting at once do not corrupt each other's output.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ViteBuildTarget {
  /** The Vite config to build with. */
  configFile: string;
  /** The project root, when the config does not set one (Vite would otherwise take the working directory). */
  root?: string;
  /** Files and folders the build is made from. */
  sources: readonly string[];
  /** Present only where the sources are: an install that ships only the build lacks it, and its build is what there is. */
  sourcesMarker: string;
}

function newestMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMs(join(path, entry)));
  return newest;
}

/** True when `outDir` holds a build at least as new as every source. */
export function buildIsCurrent(target: ViteBuildTarget, outDir: string): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return false;
  if (!existsSync(target.sourcesMarker)) return true;
  return statSync(index).mtimeMs >= Math.max(...target.sources.map(newestMs));
}

const pending = new Map<string, Promise<void>>();

/** Build unless current. One build at a time per output directory in a process; later callers share it. */
export function ensureBuilt(target: ViteBuildTarget, outDir: string, log: (line: string) => void = () => {}): Promise<void> {
  if (buildIsCurrent(target, outDir)) return Promise.resolve();
  let building = pending.get(outDir);
  if (!building) {
    log('building (first start, or the sources changed)…');
    building = build(target, outDir).finally(() => pending.delete(outDir));
    pending.set(outDir, building);
  }
  return building;
}

async function build(target: ViteBuildTarget, outDir: string): Promise<void> {
  // Vite is a development dependency: imported only when a build is needed.
  const vite = await import('vite');
  const temporary = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await vite.build({ ...(target.root ? { root: target.root } : {}), configFile: target.configFile, build: { outDir: temporary, emptyOutDir: true }, logLevel: 'warn', mode: 'production' });
    rmSync(outDir, { recursive: true, force: true });
    try {
      renameSync(temporary, outDir);
    } catch (error) {
      // Another process renamed its build into place first: that build is as good as this one.
      if (!existsSync(join(outDir, 'index.html'))) throw error;
    }
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}
