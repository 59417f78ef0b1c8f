/**
 * `POST /api/enrol` `{ "code": "sbe_…" }`: a bench exchanges the one-time code of its enrolment link for
 * its bench token (admin/enrolments.ts). Open without a token (the code is the credential), limited per
 * client address, CORS only for the configured bench origins like the ingest route.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import * as v from 'valibot';
import { exchangeEnrolment } from '../admin/enrolments.ts';
import type { Database } from '../db/Database.ts';
import { clientAddress } from '../http/clientAddress.ts';
import { refuse } from '../http/errors.ts';
import type { RateLimiter } from '../http/rateLimit.ts';

export interface EnrolRouteOptions {
  db: Database;
  benchOrigins: readonly string[];
  limiter: RateLimiter;
  now: () => number;
}

const ExchangeSchema = v.object({ code: v.pipe(v.string(), v.regex(/^sbe_[A-Za-z0-9_-]{20,100}$/)) });

export function enrolRoutes(options: EnrolRouteOptions): Hono {
  const { db, now } = options;
  const app = new Hono();
  app.use(
    '/enrol',
    cors({ origin: (origin) => (options.benchOrigins.includes(origin) ? origin : null), allowMethods: ['POST'], allowHeaders: ['Content-Type'], maxAge: 600 }),
  );
  app.post(
    '/enrol',
    bodyLimit({ maxSize: 4096, onError: (c) => refuse(c, 413, 'TOO_LARGE', 'enrolment requests are limited to 4 KiB') }),
    async (c) => {
      const waitMs = options.limiter.take(`enrol:${clientAddress(c)}`);
      if (waitMs !== null) return refuse(c, 429, 'RATE_LIMITED', 'too many enrolment attempts: try again later', { 'Retry-After': String(Math.ceil(waitMs / 1000)) });
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        body = undefined;
      }
      const parsed = v.safeParse(ExchangeSchema, body);
      if (!parsed.success) return refuse(c, 400, 'BAD_ENROLMENT', 'expected JSON {"code": "sbe_…"} with the code from an enrolment link');
      const outcome = await exchangeEnrolment(db, parsed.output.code, now());
      if (outcome.ok) return c.json({ benchId: outcome.bench.id, name: outcome.bench.name, token: outcome.bench.token }, 201);
      switch (outcome.reason) {
        case 'unknown':
          return refuse(c, 404, 'UNKNOWN_ENROLMENT', 'this enrolment link is not one this lab server issued: ask the administrator for a new link');
        case 'used':
          return refuse(c, 410, 'ENROLMENT_USED', 'this enrolment link has already been used: it works once; ask the administrator for a new link');
        case 'expired':
          return refuse(c, 410, 'ENROLMENT_EXPIRED', 'this enrolment link has expired: ask the administrator for a new link');
        case 'name-taken':
          return refuse(c, 409, 'BENCH_EXISTS', 'a bench with this link\'s name was added since the link was issued: ask the administrator for a new link');
      }
    },
  );
  return app;
}
