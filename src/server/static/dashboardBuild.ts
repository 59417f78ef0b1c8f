/**
 * Builds the dashboard (Vite, src/server/dashboard) into dist-dashboard/ when it is missing or older than
 * its sources, so `npx stimbench lab` serves a current dashboard without a separate build step (the
 * build-on-demand rules are the app's, in appserver/viteBuild.ts).
 */
import { join } from 'node:path';
import { buildIsCurrent, ensureBuilt, type ViteBuildTarget } from '../../appserver/viteBuild.ts';
import { DASHBOARD_OUT_DIR, DASHBOARD_ROOT } from './dashboardPaths.ts';

const DASHBOARD: ViteBuildTarget = { configFile: join(DASHBOARD_ROOT, 'vite.config.ts'), sources: [DASHBOARD_ROOT], sourcesMarker: DASHBOARD_ROOT };

/** True when dist-dashboard/ holds a build at least as new as every file under src/server/dashboard. */
export function dashboardIsCurrent(outDir = DASHBOARD_OUT_DIR): boolean {
  return buildIsCurrent(DASHBOARD, outDir);
}

/** Build unless current. One build at a time per process; later callers share it. */
export function ensureDashboardBuilt(outDir = DASHBOARD_OUT_DIR): Promise<void> {
  return ensureBuilt(DASHBOARD, outDir);
}
