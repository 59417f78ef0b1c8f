/**
 * Start the lab server: open the database (embedded PGlite in a directory, or a PostgreSQL server by
 * URL), run the migrations, create the administrator on first run when asked, and listen.
 */
import { mkdirSync } from 'node:fs';
import { serve, type ServerType } from '@hono/node-server';
import { ensureAdmin } from './admin/admins.ts';
import { createLabApp, type LabAppOptions } from './app.ts';
import type { Database } from './db/Database.ts';
import { migrate } from './db/migrations.ts';
import { openPgliteDatabase } from './db/pgliteDatabase.ts';
import { openPostgresDatabase } from './db/postgresDatabase.ts';
import { ensureDashboardBuilt } from './static/dashboardBuild.ts';

export interface LabServerOptions extends Omit<LabAppOptions, 'db'> {
  port: number;
  host: string;
  /** PGlite data directory (created if missing); ignored when databaseUrl is set. null: in memory. */
  dataDir: string | null;
  databaseUrl?: string | null;
  /** First-run administrator: created only if no administrator exists yet. */
  admin?: { username: string; password: string } | null;
  log?: (line: string) => void;
  /** Build the dashboard in the background when it is missing or stale (default true). */
  buildDashboard?: boolean;
}

export interface RunningLabServer {
  url: string;
  db: Database;
  /** Settles when the dashboard is built and current (at once when it already was); rejects if the build failed. */
  dashboardReady: Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(options: Pick<LabServerOptions, 'dataDir' | 'databaseUrl'>): Promise<Database> {
  if (options.databaseUrl) return openPostgresDatabase(options.databaseUrl);
  if (options.dataDir !== null) mkdirSync(options.dataDir, { recursive: true });
  return openPgliteDatabase(options.dataDir);
}

export async function startLabServer(options: LabServerOptions): Promise<RunningLabServer> {
  const log = options.log ?? ((line: string) => console.log(line));
  const db = await openDatabase(options);
  try {
    const applied = await migrate(db);
    if (applied.length) log(`database migrated to version ${applied.at(-1)}`);
    if (options.admin) {
      const created = await ensureAdmin(db, options.admin.username, options.admin.password, Date.now());
      log(created ? `administrator "${options.admin.username}" created` : 'an administrator already exists: the setup password was not used');
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const app = createLabApp({ ...options, db });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, () => resolve(s));
    s.once('error', reject);
  });
  // Keep idle connections longer than clients do (undici: 4 s), so the server never closes a socket
  // just as a client reuses it (the client would see ECONNRESET and have to retry).
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  log(`StimBench lab server on ${url} (${db.kind === 'pglite' ? `embedded database${options.dataDir ? ` in ${options.dataDir}` : ', in memory'}` : 'PostgreSQL server'})`);
  // Built after listening, so benches can post at once; until it is ready the dashboard answers 503.
  const dashboardReady = options.buildDashboard === false || options.dashboardDir ? Promise.resolve() : ensureDashboardBuilt();
  dashboardReady.then(
    () => log(`dashboard: ${url}/dashboard/`),
    (error: unknown) => log(`the dashboard could not be built (the API works): ${error instanceof Error ? error.message : String(error)}`),
  );
  return {
    url,
    db,
    dashboardReady,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
