/** The app's production build (dist/), built on demand by `stimbench app` and `stimbench bundle`. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent, ensureBuilt, type ViteBuildTarget } from './viteBuild.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const APP_OUT_DIR = join(PROJECT_ROOT, 'dist');

const APP: ViteBuildTarget = {
  configFile: join(PROJECT_ROOT, 'vite.config.ts'),
  root: PROJECT_ROOT,
  sources: ['index.html', 'vite.config.ts', 'public', 'src/main.ts', 'src/ui', 'src/lib', 'firmware-protocol/src', 'hardware-mock/src'].map((s) => join(PROJECT_ROOT, s)),
  // The packed release ships src/lib but not the app's UI sources.
  sourcesMarker: join(PROJECT_ROOT, 'src/ui'),
};

export function appIsCurrent(outDir = APP_OUT_DIR): boolean {
  return buildIsCurrent(APP, outDir);
}

export function ensureAppBuilt(outDir = APP_OUT_DIR, log?: (line: string) => void): Promise<void> {
  return ensureBuilt(APP, outDir, log);
}
