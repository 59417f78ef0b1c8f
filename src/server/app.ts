/**
 * The lab server's HTTP application: security headers on every response, JSON errors without stack
 * traces, the bench ingest route, the administrator API and the administrator's dashboard page. Built from its dependencies (database,
 * clock, limits), so tests run it in process with `app.request()` or serve it on a real port.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Database } from './db/Database.ts';
import { fixedWindowLimiter } from './http/rateLimit.ts';
import { refuse } from './http/errors.ts';
import { adminRoutes } from './routes/adminRoutes.ts';
import { enrolRoutes } from './routes/enrolRoutes.ts';
import { ingestRoutes } from './routes/ingestRoutes.ts';
import { DASHBOARD_OUT_DIR } from './static/dashboardPaths.ts';
import { dashboardRoutes } from './static/dashboardRoutes.ts';

export interface LabAppOptions {
  db: Database;
  /** Browser origins of the benches' app (e.g. https://bench.lab.example): the only CORS origins allowed. */
  benchOrigins?: readonly string[];
  now?: () => number;
  /** Largest record body accepted, bytes. Default 32 MiB (a 12-hour session exports to a few MiB). */
  maxRecordBytes?: number;
  /** Login attempts per client address per minute. Default 10. */
  loginsPerMinute?: number;
  /** Records per bench per minute. Default 6000. */
  recordsPerMinute?: number;
  /** Where unexpected errors are reported (never to the client). Default console.error. */
  logError?: (error: unknown) => void;
  /** The built dashboard served under /dashboard/. Default the project's dist-dashboard/. */
  dashboardDir?: string;
}

const HEADERS = { referrerPolicy: 'no-referrer', strictTransportSecurity: false } as const; // plain HTTP on localhost by default; a TLS proxy in front sets HSTS
const LOCKED = { frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] };
/** The API: nothing to load or run. */
const apiHeaders = secureHeaders({ ...HEADERS, contentSecurityPolicy: { defaultSrc: ["'none'"], ...LOCKED } });
/** The dashboard: its own scripts, styles and API only; no inline script or style, nothing from elsewhere. */
const dashboardHeaders = secureHeaders({
  ...HEADERS,
  contentSecurityPolicy: { defaultSrc: ["'none'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], connectSrc: ["'self'"], imgSrc: ["'self'"], ...LOCKED },
});

export function createLabApp(options: LabAppOptions): Hono {
  const now = options.now ?? Date.now;
  const logError = options.logError ?? ((error: unknown) => console.error('stimbench lab:', error));
  const app = new Hono();
  app.use('*', (c, next) => (c.req.path === '/dashboard' || c.req.path.startsWith('/dashboard/') ? dashboardHeaders(c, next) : apiHeaders(c, next)));
  app.onError((error, c) => {
    logError(error);
    return refuse(c, 500, 'INTERNAL', 'the lab server could not complete this request; it has been logged on the server');
  });
  app.notFound((c) => refuse(c, 404, 'NOT_FOUND', `no route ${c.req.method} ${new URL(c.req.url).pathname}`));
  app.get('/api/health', async (c) => {
    await options.db.query('select 1');
    return c.json({ ok: true, database: options.db.kind });
  });
  app.route(
    '/api',
    ingestRoutes({
      db: options.db,
      benchOrigins: options.benchOrigins ?? [],
      maxRecordBytes: options.maxRecordBytes ?? 32 * 1024 * 1024,
      limiter: fixedWindowLimiter(options.recordsPerMinute ?? 6000, 60_000, now),
      now,
    }),
  );
  app.get('/', (c) => c.redirect('/dashboard/'));
  app.get('/dashboard', (c) => c.redirect('/dashboard/'));
  app.route('/dashboard', dashboardRoutes({ dir: options.dashboardDir ?? DASHBOARD_OUT_DIR }));
  app.route('/api', enrolRoutes({ db: options.db, benchOrigins: options.benchOrigins ?? [], limiter: fixedWindowLimiter(options.loginsPerMinute ?? 10, 60_000, now), now }));
  app.route('/api/admin', adminRoutes({ db: options.db, loginLimiter: fixedWindowLimiter(options.loginsPerMinute ?? 10, 60_000, now), now }));
  return app;
}
