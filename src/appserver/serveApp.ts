/**
 * Serves the production build of the app (dist/) on localhost, a secure context in which Web Serial and
 * WebUSB work, under the app's content security policy. The files are read once at start; only paths
 * that exist in the build answer (no file-system path is ever built from a request), and any other path
 * gets the app's page, so a reload on a screen's address still works.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { appSecurityHeaders, type AppPolicyOptions } from './appPolicy.ts';
import { readStaticFiles, type StaticFile } from './staticFiles.ts';

export class AppNotBuiltError extends Error {
  override name = 'AppNotBuiltError';
}

export function readBuild(dir: string): Map<string, StaticFile> {
  const files = readStaticFiles(dir);
  if (!files) throw new AppNotBuiltError(`no app build in ${dir} (no index.html): run "npm run build" first`);
  return files;
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
