/**
 * Serves the built dashboard under /dashboard/ from memory: the files of dist-dashboard/ are read once
 * when present, and only those paths answer (no file-system path is ever built from a request). Until
 * a build is there, the dashboard answers 503 with what to do.
 */
import { Hono } from 'hono';
import { readStaticFiles, type StaticFile } from '../../appserver/staticFiles.ts';
import { refuse } from '../http/errors.ts';

export interface DashboardRouteOptions {
  /** The built dashboard (dist-dashboard/). */
  dir: string;
}

export function dashboardRoutes(options: DashboardRouteOptions): Hono {
  let assets: Map<string, StaticFile> | null = null;
  const app = new Hono();
  app.get('/*', (c) => {
    assets ??= readStaticFiles(options.dir);
    if (!assets) return refuse(c, 503, 'DASHBOARD_NOT_BUILT', 'the dashboard is not built yet: it builds when the lab server starts (or run "npm run build:dashboard"); reload in a few seconds');
    const path = new URL(c.req.url).pathname.replace(/^\/dashboard\/?/, '');
    const asset = assets.get(path === '' ? 'index.html' : path);
    if (!asset) return refuse(c, 404, 'NOT_FOUND', `no dashboard file "${path.slice(0, 100)}"`);
    // Hashed asset names never change content; the page itself is always revalidated.
    c.header('Cache-Control', path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    c.header('Content-Type', asset.type);
    return c.body(asset.body);
  });
  return app;
}
