/**
 * Serves the production build of the app (dist/) on localhost, a secure context in which Web Serial and
 * WebUSB work, under the app's content security policy. The files are read once at start; only paths
 * that exist in the build answer (no file-system path is ever built from a request), and any other path
 * gets the app's page, so a reload on a screen's address still works.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, sep } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { appSecurityHeaders, type AppPolicyOptions } from './appPolicy.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

export class AppNotBuiltError extends Error {
  override name = 'AppNotBuiltError';
}

export function readBuild(dir: string): Map<string, Asset> {
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
  } catch (error) {
    throw new AppNotBuiltError(`no app build in ${dir} (${error instanceof Error ? error.message : String(error)}): run "npm run build" first`);
  }
  if (!assets.has('index.html')) throw new AppNotBuiltError(`no index.html in ${dir}: run "npm run build" first`);
  return assets;
}

export interface AppServerOptions extends AppPolicyOptions {
  /** The production build (dist/). */
  dir: string;
}

export function createAppServer(options: AppServerOptions): Hono {
  const assets = readBuild(options.dir);
  const headers = appSecurityHeaders(options);
  const app = new Hono();
  app.get('/*', (c) => {
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
    const path = decodeURIComponent(new URL(c.req.url).pathname).replace(/^\//, '');
    const asset = assets.get(path) ?? (path.startsWith('assets/') ? undefined : assets.get('index.html'));
    if (!asset) return c.text(`no such file: ${path.slice(0, 100)}`, 404);
    // Hashed asset names never change content; the page and the service worker are always revalidated.
    c.header('Cache-Control', path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    c.header('Content-Type', asset.type);
    return c.body(asset.body);
  });
  return app;
}

export interface StartedAppServer {
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(options: AppServerOptions & { port: number; host: string }): Promise<StartedAppServer> {
  const app = createAppServer(options);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
