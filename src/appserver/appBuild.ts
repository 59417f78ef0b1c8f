/**
 * Builds the app (Vite) into dist/ when it is missing or older than its sources, so `stimbench app` serves
 * a current build without a separate step. The build goes to a temporary sibling directory and is renamed
 * into place, so the server never serves half a build.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const APP_OUT_DIR = join(PROJECT_ROOT, 'dist');
/** What the app's build is made from. */
const SOURCES = ['index.html', 'vite.config.ts', 'public', 'src/main.ts', 'src/ui', 'src/lib', 'firmware-protocol/src', 'hardware-mock/src'];

function newestMs(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMs(join(path, entry)));
  return newest;
}

/** True when dist/ holds a build at least as new as every source (or the sources are absent: an install that ships only the build). */
export function appIsCurrent(outDir = APP_OUT_DIR): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return false;
  if (!existsSync(join(PROJECT_ROOT, 'src/ui'))) return true;
  return statSync(index).mtimeMs >= Math.max(...SOURCES.map((s) => newestMs(join(PROJECT_ROOT, s))));
}

export async function ensureAppBuilt(outDir = APP_OUT_DIR, log: (line: string) => void = () => {}): Promise<void> {
  if (appIsCurrent(outDir)) return;
  log('building the app (first start, or the sources changed)…');
  // Vite is a development dependency: imported only when a build is needed.
  const { build } = await import('vite');
  const temporary = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await build({ root: PROJECT_ROOT, configFile: join(PROJECT_ROOT, 'vite.config.ts'), build: { outDir: temporary, emptyOutDir: true }, logLevel: 'warn', mode: 'production' });
    rmSync(outDir, { recursive: true, force: true });
    renameSync(temporary, outDir);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}
