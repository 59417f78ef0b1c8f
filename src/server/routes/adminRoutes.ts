/**
 * The administrator API under /api/admin. Login gives a 12 h session token (Bearer); every other route
 * needs it. Changes, exports and record reads are written to the audit log. Not open to CORS: only the
 * server's own dashboard (same origin) or a command-line client uses it.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import { adminForToken, login, logout } from '../admin/admins.ts';
import { audit } from '../admin/audit.ts';
import { issueEnrolment } from '../admin/enrolments.ts';
import { issueBench, listBenches, revokeBench } from '../admin/benches.ts';
import { sessionsCsv } from '../admin/exportSessions.ts';
import { redcapDictionaryCsv, redcapRecordsCsv } from '../admin/redcapExport.ts';
import { SessionFilterSchema, type SessionFilter } from '../admin/sessionFilters.ts';
import { getRecordBody, listSessions, participantSummary } from '../admin/sessionQueries.ts';
import { auditPage, AuditQuerySchema } from '../admin/auditLog.ts';
import { adherenceReport } from '../programmes/adherenceReport.ts';
import { AssignmentInputSchema, getAssignment, programmeChoices, removeAssignment, setAssignment } from '../programmes/assignments.ts';
import { ParticipantCodeError, parseParticipantCode } from '../../lib/session/participant.ts';
import { bearerToken } from '../auth/tokens.ts';
import type { Database } from '../db/Database.ts';
import { clientAddress } from '../http/clientAddress.ts';
import { refuse } from '../http/errors.ts';
import type { RateLimiter } from '../http/rateLimit.ts';

export interface AdminRouteOptions {
  db: Database;
  loginLimiter: RateLimiter;
  now: () => number;
}

type Env = { Variables: { adminId: number; token: string } };

const LoginSchema = v.object({ username: v.pipe(v.string(), v.maxLength(100)), password: v.pipe(v.string(), v.maxLength(1000)) });
const BenchSchema = v.object({ name: v.pipe(v.string(), v.trim(), v.regex(/^[A-Za-z0-9 ._-]{1,60}$/, 'expected a bench name of 1–60 letters, digits, spaces, ".", "_" or "-"')) });
const ParticipantSchema = v.pipe(v.string(), v.maxLength(100));
const EXPORT_ROWS = 1_000_000;

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

/** The participant code of the URL in its stored form, or the refusal to send. */
function readParticipant(c: Context): { ok: true; code: string } | { ok: false; response: Response } {
  const raw = c.req.param('code') ?? '';
  try {
    const code = parseParticipantCode(raw);
    if (code === raw) return { ok: true, code };
    return { ok: false, response: refuse(c, 400, 'BAD_PARTICIPANT', `participant code ${JSON.stringify(raw.slice(0, 100))} is not in its stored form: use ${JSON.stringify(code)}`) };
  } catch (error) {
    if (!(error instanceof ParticipantCodeError)) throw error;
    return { ok: false, response: refuse(c, 400, 'BAD_PARTICIPANT', error.message) };
  }
}

function readFilter(c: Context): { ok: true; filter: SessionFilter } | { ok: false; response: Response } {
  const query = c.req.query();
  const result = v.safeParse(SessionFilterSchema, query);
  if (result.success) return { ok: true, filter: result.output };
  const issue = result.issues[0];
  const where = issue?.path?.map((p) => String(p.key)).join('.') ?? 'query';
  return { ok: false, response: refuse(c, 400, 'BAD_FILTER', `${where}: ${issue?.message ?? 'invalid'}`) };
}

export function adminRoutes(options: AdminRouteOptions): Hono<Env> {
  const { db, now } = options;
  const app = new Hono<Env>();
  app.use('*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => refuse(c, 413, 'TOO_LARGE', 'admin request bodies are limited to 64 KiB') }));

  app.post('/login', async (c) => {
    const address = clientAddress(c);
    const waitMs = options.loginLimiter.take(`login:${address}`);
    if (waitMs !== null) return refuse(c, 429, 'RATE_LIMITED', 'too many login attempts: try again later', { 'Retry-After': String(Math.ceil(waitMs / 1000)) });
    const body = v.safeParse(LoginSchema, await jsonBody(c));
    if (!body.success) return refuse(c, 400, 'BAD_LOGIN', 'expected JSON {"username": "…", "password": "…"}');
    const session = await login(db, body.output.username, body.output.password, now());
    if (!session) {
      await audit(db, null, 'login.failed', { username: body.output.username, address }, now());
      return refuse(c, 401, 'BAD_LOGIN', 'wrong username or password');
    }
    await audit(db, session.adminId, 'login', { address }, now());
    return c.json({ token: session.token, expiresWallMs: session.expiresWallMs });
  });

  app.use('*', async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'));
    const adminId = token === null ? null : await adminForToken(db, token, now());
    if (adminId === null || token === null) return refuse(c, 401, 'NOT_LOGGED_IN', 'expected "Authorization: Bearer <session token>" from POST /api/admin/login');
    c.set('adminId', adminId);
    c.set('token', token);
    await next();
  });

  app.post('/logout', async (c) => {
    await logout(db, c.get('token'));
    await audit(db, c.get('adminId'), 'logout', {}, now());
    return c.json({ ok: true });
  });

  app.get('/benches', async (c) => c.json({ benches: await listBenches(db) }));

  app.post('/benches', async (c) => {
    const body = v.safeParse(BenchSchema, await jsonBody(c));
    if (!body.success) return refuse(c, 400, 'BAD_BENCH', body.issues[0]?.message ?? 'expected JSON {"name": "…"}');
    const bench = await issueBench(db, body.output.name, now());
    if (!bench) return refuse(c, 409, 'BENCH_EXISTS', `a bench named "${body.output.name}" already exists`);
    await audit(db, c.get('adminId'), 'bench.issue', { benchId: bench.id, name: bench.name }, now());
    // The token is shown this once; only its digest is kept.
    return c.json(bench, 201);
  });

  // Enrolment links: a one-time code that a bench exchanges for its token at POST /api/enrol.
  app.post('/enrolments', async (c) => {
    const body = v.safeParse(BenchSchema, await jsonBody(c));
    if (!body.success) return refuse(c, 400, 'BAD_BENCH', body.issues[0]?.message ?? 'expected JSON {"name": "…"}');
    const enrolment = await issueEnrolment(db, body.output.name, now());
    if (!enrolment) return refuse(c, 409, 'BENCH_EXISTS', `a bench named "${body.output.name}" already exists`);
    await audit(db, c.get('adminId'), 'enrolment.issue', { name: body.output.name, expiresWallMs: enrolment.expiresWallMs }, now());
    const url = `${new URL(c.req.url).origin}/api/enrol#${enrolment.code}`;
    return c.json({ name: body.output.name, url, code: enrolment.code, expiresWallMs: enrolment.expiresWallMs }, 201);
  });

  app.post('/benches/:id/revoke', async (c) => {
    const id = c.req.param('id');
    if (!(await revokeBench(db, id, now()))) return refuse(c, 404, 'NO_SUCH_BENCH', `no active bench with id "${id.slice(0, 100)}"`);
    await audit(db, c.get('adminId'), 'bench.revoke', { benchId: id }, now());
    return c.json({ id, revoked: true });
  });

  app.get('/sessions', async (c) => {
    const read = readFilter(c);
    if (!read.ok) return read.response;
    return c.json(await listSessions(db, read.filter));
  });

  app.get('/sessions/:id', async (c) => {
    const id = c.req.param('id');
    const body = await getRecordBody(db, id);
    if (body === null) return refuse(c, 404, 'NO_SUCH_RECORD', `no record with id "${id.slice(0, 100)}"`);
    await audit(db, c.get('adminId'), 'record.read', { recordId: id }, now());
    return c.json(body);
  });

  app.get('/participants/:code/summary', async (c) => {
    const code = v.safeParse(ParticipantSchema, c.req.param('code'));
    if (!code.success) return refuse(c, 400, 'BAD_PARTICIPANT', 'expected a participant code of at most 100 characters');
    const summary = await participantSummary(db, code.output);
    if (!summary) return refuse(c, 404, 'NO_SUCH_PARTICIPANT', `no sessions for participant "${code.output}"`);
    return c.json(summary);
  });

  app.get('/programmes', (c) => c.json({ programmes: programmeChoices() }));

  app.get('/participants/:code/assignment', async (c) => {
    const participant = readParticipant(c);
    if (!participant.ok) return participant.response;
    return c.json({ assignment: await getAssignment(db, participant.code) });
  });

  app.put('/participants/:code/assignment', async (c) => {
    const participant = readParticipant(c);
    if (!participant.ok) return participant.response;
    const body = v.safeParse(AssignmentInputSchema, await jsonBody(c));
    if (!body.success) {
      const issue = body.issues[0];
      const where = issue?.path?.map((p) => String(p.key)).join('.');
      const message = where ? `${where}: ${issue?.message}` : 'expected JSON {"programmeId": "…", "startDay": "YYYY-MM-DD", "timeZone": "Europe/Berlin", "nightSessions": false}';
      return refuse(c, 400, 'BAD_ASSIGNMENT', message);
    }
    const adminId = c.get('adminId');
    const { assignment, replaced } = await db.transaction(async (tx) => {
      const result = await setAssignment(tx, participant.code, body.output, adminId, now());
      await audit(tx, adminId, 'assignment.set', { participant: participant.code, programmeId: body.output.programmeId, startDay: body.output.startDay, timeZone: body.output.timeZone, nightSessions: body.output.nightSessions, replaced: result.replaced }, now());
      return result;
    });
    return c.json({ assignment, replaced });
  });

  app.delete('/participants/:code/assignment', async (c) => {
    const participant = readParticipant(c);
    if (!participant.ok) return participant.response;
    const adminId = c.get('adminId');
    const removed = await db.transaction(async (tx) => {
      const row = await removeAssignment(tx, participant.code);
      if (row) await audit(tx, adminId, 'assignment.remove', { participant: participant.code, removed: row }, now());
      return row;
    });
    if (!removed) return refuse(c, 404, 'NO_ASSIGNMENT', `participant "${participant.code}" has no programme assigned`);
    return c.json({ removed });
  });

  app.get('/participants/:code/adherence', async (c) => {
    const participant = readParticipant(c);
    if (!participant.ok) return participant.response;
    const assignment = await getAssignment(db, participant.code);
    if (!assignment) return refuse(c, 404, 'NO_ASSIGNMENT', `participant "${participant.code}" has no programme assigned`);
    return c.json(await adherenceReport(db, assignment, now()));
  });

  for (const format of ['csv', 'json'] as const) {
    app.get(`/export.${format}`, async (c) => {
      const read = readFilter(c);
      if (!read.ok) return read.response;
      const filter = { ...read.filter, limit: EXPORT_ROWS, offset: 0 };
      const { sessions } = await listSessions(db, filter);
      await audit(db, c.get('adminId'), 'export', { format, filter: c.req.query(), rows: sessions.length }, now());
      const filename = `stimbench-sessions-${new Date(now()).toISOString().slice(0, 10)}.${format}`;
      c.header('Content-Disposition', `attachment; filename="${filename}"`);
      if (format === 'json') return c.json({ sessions });
      c.header('Content-Type', 'text/csv; charset=utf-8');
      return c.body(sessionsCsv(sessions));
    });
  }

  app.get('/export/redcap-dictionary.csv', async (c) => {
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="stimbench-redcap-dictionary.csv"');
    return c.body(redcapDictionaryCsv());
  });

  app.get('/export/redcap-records.csv', async (c) => {
    const read = readFilter(c);
    if (!read.ok) return read.response;
    const { sessions } = await listSessions(db, { ...read.filter, limit: EXPORT_ROWS, offset: 0 });
    await audit(db, c.get('adminId'), 'export', { format: 'redcap', filter: c.req.query(), rows: sessions.length }, now());
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="stimbench-redcap-records.csv"');
    return c.body(redcapRecordsCsv(sessions));
  });

  app.get('/audit', async (c) => {
    const query = v.safeParse(AuditQuerySchema, c.req.query());
    if (!query.success) {
      const issue = query.issues[0];
      return refuse(c, 400, 'BAD_FILTER', `${issue?.path?.map((p) => String(p.key)).join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`);
    }
    return c.json(await auditPage(db, query.output));
  });

  return app;
}
