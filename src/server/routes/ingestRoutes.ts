/**
 * `POST /api/records`: a bench delivers one finished record (ingest/ingestRecord.ts checks it,
 * ingest/storeRecords.ts stores it, grouped with posts arriving at the same time by ingest/IngestBatcher.ts).
 * Bench token in `Authorization: Bearer`, record id in `Idempotency-Key`, the record export JSON as body.
 * CORS is answered only for the configured bench origins; this is the only route a bench token opens.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { benchForTokenHash } from '../admin/benches.ts';
import { bearerToken, sha256Hex } from '../auth/tokens.ts';
import type { Database } from '../db/Database.ts';
import { IngestBatcher } from '../ingest/IngestBatcher.ts';
import { isPrepared, prepareRecord } from '../ingest/ingestRecord.ts';
import { refuse } from '../http/errors.ts';
import type { RateLimiter } from '../http/rateLimit.ts';

export interface IngestRouteOptions {
  db: Database;
  benchOrigins: readonly string[];
  maxRecordBytes: number;
  limiter: RateLimiter;
  now: () => number;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export function ingestRoutes(options: IngestRouteOptions): Hono {
  const { db, limiter, now } = options;
  const app = new Hono();
  // Bench id by token digest, for tokens already found active: saves a query per record. Safe against
  // revocation because the storing statement itself re-checks that the bench is active (storeRecords.ts);
  // a refusal there drops the entry. Bounded by the number of benches ever issued.
  const benchByTokenHash = new Map<string, string>();
  const batcher = new IngestBatcher(db, { now });
  app.use(
    '/records',
    cors({
      origin: (origin) => (options.benchOrigins.includes(origin) ? origin : null),
      allowMethods: ['POST'],
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key'],
      exposeHeaders: ['Retry-After'],
      maxAge: 600,
    }),
  );
  app.post(
    '/records',
    bodyLimit({ maxSize: options.maxRecordBytes, onError: (c) => refuse(c, 413, 'TOO_LARGE', `record bodies are limited to ${options.maxRecordBytes} bytes`) }),
    async (c) => {
      const token = bearerToken(c.req.header('Authorization'));
      const tokenHash = token === null ? null : sha256Hex(token);
      const benchId = tokenHash === null ? null : (benchByTokenHash.get(tokenHash) ?? (await benchForTokenHash(db, tokenHash)));
      if (benchId === null) return refuse(c, 401, 'BAD_TOKEN', 'expected "Authorization: Bearer <bench token>" with a bench token issued by this server and not revoked');
      const waitMs = limiter.take(`bench:${benchId}`);
      if (waitMs !== null) return refuse(c, 429, 'RATE_LIMITED', 'too many records from this bench: try again later', { 'Retry-After': String(Math.ceil(waitMs / 1000)) });
      const key = c.req.header('Idempotency-Key') ?? '';
      if (!IDEMPOTENCY_KEY.test(key)) return refuse(c, 400, 'BAD_IDEMPOTENCY_KEY', 'expected an Idempotency-Key header holding the record id (1–128 letters, digits, ".", "_", ":" or "-")');
      if (!/^application\/json\b/i.test(c.req.header('Content-Type') ?? '')) return refuse(c, 415, 'NOT_JSON', 'expected Content-Type: application/json');
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        return refuse(c, 400, 'BAD_JSON', 'the body is not valid JSON');
      }
      benchByTokenHash.set(tokenHash as string, benchId);
      const prepared = prepareRecord(benchId, key, body, now());
      const outcome = isPrepared(prepared) ? await batcher.store(prepared) : prepared;
      if (outcome.status === 401) benchByTokenHash.delete(tokenHash as string);
      return c.json(outcome.body, outcome.status);
    },
  );
  return app;
}
