/**
 * Serves the built dashboard under /dashboard/ from memory: the files of dist-dashboard/ are read once
 * when present, and only those paths answer (no file-system path is ever built from a request). Until
 * a build is there, the dashboard answers 503 with what to do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { Hono } from 'hono';
import { refuse } from '../http/errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

function readAssets(dir: string): Map<string, Asset> | null {
  const assets = new Map<string, Asset>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else assets.set(relative(dir, path).split(sep).join('/'), { body: new Uint8Array(readFileSync(path)), type: TYPES[extname(path)] ?? 'application/octet-stream' });
    }
  };
  try {
    walk(dir);
  } catch {
    return null;
  }
  return assets.has('index.html') ? assets : null;
}

export interface DashboardRouteOptions {
  /** The built dashboard (dist-dashboard/). */
  dir: string;
}

export function dashboardRoutes(options: DashboardRouteOptions): Hono {
  let assets: Map<string, Asset> | null = null;
  const app = new Hono();
  app.get('/*', (c) => {
    assets ??= readAssets(options.dir);
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
