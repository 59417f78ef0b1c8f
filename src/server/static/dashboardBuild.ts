/**
 * Builds the dashboard (Vite, src/server/dashboard) into dist-dashboard/ when it is missing or older than
 * its sources, so `npx stimbench lab` serves a current dashboard without a separate build step. The build
 * goes to a temporary sibling directory and is renamed into place, so a server never serves half a build
 * and two processes starting at once do not corrupt each other's output.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_OUT_DIR, DASHBOARD_ROOT } from './dashboardPaths.ts';

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist-dashboard/ holds a build at least as new as every file under src/server/dashboard. */
export function dashboardIsCurrent(outDir = DASHBOARD_OUT_DIR): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return false;
  // The sources are absent in an install that ships only the build: then the build is what there is.
  if (!existsSync(DASHBOARD_ROOT)) return true;
  return statSync(index).mtimeMs >= newestSourceMs(DASHBOARD_ROOT);
}

let pending: Promise<void> | null = null;

/** Build unless current. One build at a time per process; later callers share it. */
export function ensureDashboardBuilt(outDir = DASHBOARD_OUT_DIR): Promise<void> {
  if (dashboardIsCurrent(outDir)) return Promise.resolve();
  pending ??= buildDashboard(outDir).finally(() => {
    pending = null;
  });
  return pending;
}

async function buildDashboard(outDir: string): Promise<void> {
  // Vite is a development dependency: imported only when a build is needed.
  const { build } = await import('vite');
  const temporary = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  try {
    await build({ configFile: join(DASHBOARD_ROOT, 'vite.config.ts'), build: { outDir: temporary, emptyOutDir: true }, logLevel: 'warn' });
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
