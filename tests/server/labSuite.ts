/**
 * The lab server's test suite, run unchanged against each database (lab.pglite.test.ts,
 * lab.postgres.test.ts): migrations, ingest and its idempotency, every refusal (nothing stored),
 * authorisation, filters with SQL-injection strings, exports, audit log, immutability, CORS, headers.
 * The app runs in process (`app.request`) on an injected clock, so rate limits need no waiting.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { classifyResponse } from '../../src/lib/sync/classifyResponse.ts';
import type { RecordFileJson } from '../../src/lib/session/exportRecordJson.ts';
import { ensureAdmin } from '../../src/server/admin/admins.ts';
import { createLabApp } from '../../src/server/app.ts';
import type { Database } from '../../src/server/db/Database.ts';
import { MIGRATIONS, migrate } from '../../src/server/db/migrations.ts';
import { makeRecordFile, recordWithId } from './recordFixture.ts';

/** One RFC 4180 line (no line breaks inside fields) into its fields. */
function splitCsvLine(line: string): string[] {
  return [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => {
    const field = m[1] ?? '';
    return field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
  });
}

export interface Backend {
  open(): Promise<Database>;
  /** Called after the database is closed. */
  cleanup?(): void | Promise<void>;
}

const BENCH_ORIGIN = 'https://bench.lab.example';
const PASSWORD = 'correct horse battery staple';
const INJECTIONS = ["' or 1=1 --", "x'; drop table records; --", '"; delete from benches; --', "1) or (1=1", "%' union select * from admins --", '$1', '\\x00'];

export function defineLabSuite(name: string, backend: Backend | null, skipReason?: string): void {
  describe.skipIf(backend === null)(`lab server on ${name}${backend === null && skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    let db: Database;
    let nowMs = Date.UTC(2026, 5, 1);
    let app: ReturnType<typeof createLabApp>;
    let adminToken = '';
    const errors: unknown[] = [];

    beforeAll(async () => {
      db = await backend!.open();
      await migrate(db);
    }, 180_000);
    afterAll(async () => {
      await db?.close();
      await backend?.cleanup?.();
    }, 60_000);

    beforeEach(async () => {
      await db.query(`truncate records, enrolments, benches, admin_sessions, audit_log, programme_assignments, admins restart identity cascade`);
      nowMs = Date.UTC(2026, 5, 1);
      errors.length = 0;
      app = createLabApp({ db, benchOrigins: [BENCH_ORIGIN], now: () => nowMs, maxRecordBytes: 512 * 1024, recordsPerMinute: 50, logError: (e) => errors.push(e) });
      await ensureAdmin(db, 'admin', PASSWORD, nowMs);
      const login = await app.request('/api/admin/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      adminToken = ((await login.json()) as { token: string }).token;
    });

    const admin = (path: string, init: RequestInit = {}) =>
      app.request(path, { ...init, headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) } });
    const issueBench = async (benchName = 'bench 1') => {
      const response = await admin('/api/admin/benches', { method: 'POST', body: JSON.stringify({ name: benchName }) });
      expect(response.status).toBe(201);
      return (await response.json()) as { id: string; token: string };
    };
    const post = (token: string, file: unknown, key = (file as RecordFileJson).record.id, extra: Record<string, string> = {}) =>
      app.request('/api/records', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': key, 'Content-Type': 'application/json', ...extra },
        body: typeof file === 'string' ? file : JSON.stringify(file),
      });
    /** Move the server clock, then log in again (an administrator session lasts 12 h on that clock). */
    const setClock = async (wallMs: number) => {
      nowMs = wallMs;
      const login = await app.request('/api/admin/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      adminToken = ((await login.json()) as { token: string }).token;
    };
    const storedCount = async () => ((await db.query<{ n: number }>(`select count(*)::int as n from records`))[0]?.n ?? -1);

    describe('migrations', () => {
      test('run once: a second start applies nothing, every version is recorded', async () => {
        expect(await migrate(db)).toEqual([]);
        expect(await db.query(`select version from schema_migrations order by version`)).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
      });

      test('a new version is applied once, in order; a failing migration leaves nothing behind', async () => {
        const last = MIGRATIONS.at(-1)!.version;
        const released = MIGRATIONS.map((m) => ({ version: m.version }));
        const next = { version: last + 1, name: 'test table', statements: ['create table migration_probe (id integer primary key)'] };
        const broken = { version: last + 2, name: 'broken', statements: ['create table migration_probe_3 (id integer)', 'select * from no_such_table'] };
        try {
          expect(await migrate(db, [...MIGRATIONS, next])).toEqual([last + 1]);
          expect(await migrate(db, [...MIGRATIONS, next])).toEqual([]);
          await expect(migrate(db, [...MIGRATIONS, next, broken])).rejects.toThrow(/no_such_table/);
          expect(await db.query(`select version from schema_migrations order by version`)).toEqual([...released, { version: last + 1 }]);
          expect(await db.query(`select to_regclass('migration_probe_3') as t`)).toEqual([{ t: null }]);
        } finally {
          await db.query(`drop table if exists migration_probe`);
          await db.query(`delete from schema_migrations where version > $1`, [last]);
        }
      });
    });

    describe('enrolment links', () => {
      const exchange = (code: unknown) => app.request('/api/enrol', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });
      const enrol = async (benchName: string) => {
        const response = await admin('/api/admin/enrolments', { method: 'POST', body: JSON.stringify({ name: benchName }) });
        expect(response.status).toBe(201);
        return (await response.json()) as { url: string; code: string; expiresWallMs: number };
      };

      test('a link gives a bench token once: the token ingests, a second use is 410, only the digest is stored', async () => {
        const link = await enrol('bench e');
        expect(link.url).toBe(`http://localhost/api/enrol#${link.code}`);
        const first = await exchange(link.code);
        expect(first.status).toBe(201);
        const bench = (await first.json()) as { benchId: string; name: string; token: string };
        expect(bench).toMatchObject({ name: 'bench e', token: expect.stringMatching(/^sbb_/) });
        expect((await post(bench.token, await makeRecordFile('rec-enrolled'))).status).toBe(201);
        const again = await exchange(link.code);
        expect({ status: again.status, body: await again.json() }).toMatchObject({ status: 410, body: { error: 'ENROLMENT_USED', message: expect.stringContaining('already been used') } });
        const stored = JSON.stringify(await db.query(`select * from enrolments`));
        expect(stored).not.toContain(link.code);
        expect(JSON.stringify(await db.query(`select * from benches`))).not.toContain(bench.token);
        expect(await db.query(`select count(*)::int as n from benches where name = 'bench e'`)).toEqual([{ n: 1 }]);
      });

      test('two benches racing with one code: exactly one gets a token', async () => {
        const link = await enrol('bench race');
        const statuses = (await Promise.all([exchange(link.code), exchange(link.code), exchange(link.code)])).map((r) => r.status).sort();
        expect(statuses).toEqual([201, 410, 410]);
        expect(await db.query(`select count(*)::int as n from benches`)).toEqual([{ n: 1 }]);
      });

      test('a link expires on the server clock (410, no bench); unknown and malformed codes are refused', async () => {
        const early = await enrol('bench early');
        nowMs += 1;
        const link = await enrol('bench late');
        nowMs = early.expiresWallMs; // 'bench early' has just expired; 'bench late' has 1 ms left
        const expired = await exchange(early.code);
        expect({ status: expired.status, body: await expired.json() }).toMatchObject({ status: 410, body: { error: 'ENROLMENT_EXPIRED' } });
        expect((await exchange(link.code)).status).toBe(201);
        expect((await exchange(`sbe_${'A'.repeat(43)}`)).status).toBe(404);
        for (const bad of ["' or 1=1 --", 42, null, 'sbb_short']) expect((await exchange(bad)).status).toBe(400);
        expect(await db.query(`select name from benches order by name`)).toEqual([{ name: 'bench late' }]);
      });

      test('issuing needs an administrator, a new bench name, and is audited', async () => {
        const anonymous = await app.request('/api/admin/enrolments', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'x' }) });
        expect(anonymous.status).toBe(401);
        await issueBench('bench taken');
        expect((await admin('/api/admin/enrolments', { method: 'POST', body: JSON.stringify({ name: 'bench taken' }) })).status).toBe(409);
        expect((await admin('/api/admin/enrolments', { method: 'POST', body: JSON.stringify({ name: "'; drop table benches; --" }) })).status).toBe(400);
        await enrol('bench audited');
        expect(await db.query(`select action from audit_log where action = 'enrolment.issue'`)).toEqual([{ action: 'enrolment.issue' }]);
      });
    });

    describe('ingest', () => {
      test('a finished record is stored once, 201 {id}, which the app counts as delivered', async () => {
        const bench = await issueBench();
        const file = await makeRecordFile('rec-a', { participant: 'p01', presetId: 'conv-10' });
        const response = await post(bench.token, file);
        expect(response.status).toBe(201);
        const text = await response.text();
        expect(JSON.parse(text)).toEqual({ id: 'rec-a', duplicate: false });
        expect(classifyResponse(response.status, text, 'rec-a')).toEqual({ kind: 'delivered', duplicate: false });
        const [row] = await db.query<Record<string, unknown>>(`select bench_id, participant, preset_id, outcome, active_ms, peak_ua from records where id = 'rec-a'`);
        expect(row).toMatchObject({ bench_id: bench.id, participant: 'p01', preset_id: 'conv-10', outcome: 'completed', active_ms: file.record.dose[0]!.activeMs, peak_ua: file.record.dose[0]!.peakUa });
        const benches = (await (await admin('/api/admin/benches')).json()) as { benches: { lastSeenWallMs: number; lastFirmware: string; records: number; faults: number; estops: number }[] };
        expect(benches.benches[0]).toMatchObject({ lastSeenWallMs: nowMs, lastFirmware: '1.0.0', records: 1, faults: 0, estops: 0 });
      });

      test('records without a participant code (made before codes existed) are accepted', async () => {
        const bench = await issueBench();
        expect((await post(bench.token, await makeRecordFile('rec-old'))).status).toBe(201);
        expect(await db.query(`select participant from records`)).toEqual([{ participant: null }]);
      });

      test('an interrupted record is accepted', async () => {
        const bench = await issueBench();
        expect((await post(bench.token, await makeRecordFile('rec-int', { outcome: 'interrupted' }))).status).toBe(201);
      });

      test('the same record twice (exported again later) → 200 duplicate, stored once, delivered', async () => {
        const bench = await issueBench();
        const file = await makeRecordFile('rec-b');
        expect((await post(bench.token, file)).status).toBe(201);
        const again = await post(bench.token, { ...file, exportedWallMs: file.exportedWallMs + 60_000 });
        expect(again.status).toBe(200);
        const text = await again.text();
        expect(JSON.parse(text)).toEqual({ id: 'rec-b', duplicate: true });
        expect(classifyResponse(again.status, text, 'rec-b')).toEqual({ kind: 'delivered', duplicate: true });
        expect(await storedCount()).toBe(1);
      });

      test('the same record posted 6 times at once is stored exactly once', async () => {
        const bench = await issueBench();
        const file = await makeRecordFile('rec-c');
        const statuses = (await Promise.all(Array.from({ length: 6 }, () => post(bench.token, file)))).map((r) => r.status).sort();
        expect(statuses).toEqual([200, 200, 200, 200, 200, 201]);
        expect(await storedCount()).toBe(1);
      });

      test('posts arriving together share storing statements, each answered alone: none lost, none stored twice, duplicates and a conflict in the same group', async () => {
        let statements = 0;
        const counted: Database = { ...db, kind: db.kind, transaction: db.transaction, close: db.close, query: (sql, params) => ((statements += Number(sql.includes('insert into records'))), db.query(sql, params)) };
        app = createLabApp({ db: counted, benchOrigins: [BENCH_ORIGIN], now: () => nowMs, recordsPerMinute: 1000, logError: (e) => errors.push(e) });
        const benches = [await issueBench('bench 1'), await issueBench('bench 2')];
        const template = await makeRecordFile('template');
        const files = Array.from({ length: 30 }, (_, i) => recordWithId(template, `grp-${i}`, `p${i % 3}`));
        const conflicting = { ...files[1]!, record: { ...files[1]!.record, pain: { pre: 7, post: 1 } } };
        const posts = [
          ...files.map((file, i) => ({ token: benches[i % 2]!.token, file })),
          ...[1, 2, 3].map((n) => ({ token: benches[n % 2]!.token, file: { ...files[0]!, exportedWallMs: files[0]!.exportedWallMs + n } })),
          { token: benches[0]!.token, file: conflicting },
        ];
        const answers = await Promise.all(posts.map(async ({ token, file }) => {
          const response = await post(token, file);
          return { id: file.record.id, status: response.status, body: (await response.json()) as { id?: string; duplicate?: boolean; error?: string } };
        }));
        const statusesOf = (id: string) => answers.filter((a) => a.id === id).map((a) => a.status).sort();
        expect(statusesOf('grp-0')).toEqual([200, 200, 200, 201]);
        expect(statusesOf('grp-1')).toEqual([201, 409]);
        for (let i = 2; i < 30; i++) expect(statusesOf(`grp-${i}`)).toEqual([201]);
        for (const a of answers.filter((x) => x.status < 300)) expect(a.body).toEqual({ id: a.id, duplicate: a.status === 200 });
        // The stored grp-1 is the one whose post was answered 201; the other got 409 and changed nothing.
        const winner = answers.find((a) => a.id === 'grp-1' && a.status === 201)!;
        const winnerPain = posts[answers.indexOf(winner)]!.file.record.pain;
        expect(await db.query(`select pain_pre, pain_post from records where id = 'grp-1'`)).toEqual([{ pain_pre: winnerPain.pre, pain_post: winnerPain.post }]);
        expect(await db.query(`select count(*)::int as n, count(distinct id)::int as ids from records`)).toEqual([{ n: 30, ids: 30 }]);
        // 34 posts, far fewer storing statements: the first holds the 30 distinct ids; each later copy of an
        // id already in a statement waits for the next one.
        expect(statements).toBeGreaterThan(1);
        expect(statements).toBeLessThanOrEqual(6);
        const benchRows = (await (await admin('/api/admin/benches')).json()) as { benches: { records: number; lastSeenWallMs: number }[] };
        expect(benchRows.benches.map((b) => [b.records, b.lastSeenWallMs])).toEqual([[15, nowMs], [15, nowMs]]);
        expect(errors).toEqual([]);
      });

      test('a record the database refuses fails alone: the others posted with it are stored', async () => {
        const bench = await issueBench();
        const template = await makeRecordFile('template');
        const good = Array.from({ length: 5 }, (_, i) => recordWithId(template, `ok-${i}`));
        const bad = recordWithId(template, 'bad-0');
        bad.record.plan = { ...bad.record.plan, label: `nul ${String.fromCharCode(0)} inside` }; // no PostgreSQL text may hold a NUL
        const statuses = await Promise.all([...good.slice(0, 2), bad, ...good.slice(2)].map(async (file) => [file.record.id, (await post(bench.token, file)).status] as const));
        expect(Object.fromEntries(statuses)).toEqual({ 'ok-0': 201, 'ok-1': 201, 'bad-0': 500, 'ok-2': 201, 'ok-3': 201, 'ok-4': 201 });
        expect(await db.query(`select id from records order by id`)).toEqual(good.map((f) => ({ id: f.record.id })));
        expect(errors).toHaveLength(1);
      });

      test('a different record under a stored id → 409, which the app shows as a conflict; the stored one is unchanged', async () => {
        const bench = await issueBench();
        const first = await makeRecordFile('rec-d');
        const other = await makeRecordFile('rec-d', { offsetUa: 100 });
        expect((await post(bench.token, first)).status).toBe(201);
        const response = await post(bench.token, other);
        expect(response.status).toBe(409);
        const text = await response.text();
        expect(JSON.parse(text)).toMatchObject({ error: 'CONFLICT' });
        expect(classifyResponse(response.status, text, 'rec-d').kind).toBe('conflict');
        const [row] = await db.query<{ peak_ua: number }>(`select peak_ua from records where id = 'rec-d'`);
        expect(row?.peak_ua).toBe(first.record.dose[0]!.peakUa);
        expect(await storedCount()).toBe(1);
      });

      test.each([
        ['samples', (f: RecordFileJson) => void (f.record.dose[0]!.samples += 1)],
        ['activeMs', (f: RecordFileJson) => void (f.record.dose[0]!.activeMs += 1000)],
        ['peakUa', (f: RecordFileJson) => void (f.record.dose[0]!.peakUa += 1)],
        ['amplitudeIntegralUaMs', (f: RecordFileJson) => void (f.record.dose[0]!.amplitudeIntegralUaMs *= 1.01)],
        ['a summary second', (f: RecordFileJson) => void (f.summaries[0]!.meanUa[1]! += 50)],
        ['charge without current', (f: RecordFileJson) => {
          f.summaries = [];
          f.record.dose = [{ ...f.record.dose[0]!, samples: 0, activeMs: 0, amplitudeIntegralUaMs: 0, peakUa: 0, chargeUc: 1 }];
        }],
      ])('a dose that does not match its own samples (%s) → 422 DOSE_MISMATCH, nothing stored', async (_what, tamper) => {
        const bench = await issueBench();
        const file = await makeRecordFile('rec-e');
        tamper(file);
        const response = await post(bench.token, file);
        expect(response.status).toBe(422);
        expect(await response.json()).toMatchObject({ error: 'DOSE_MISMATCH', message: expect.stringMatching(/channel 1/) });
        expect(await storedCount()).toBe(0);
      });

      test('bad bodies are refused with a clear status and nothing is stored', async () => {
        const bench = await issueBench();
        const file = await makeRecordFile('rec-f');
        const cases: [Response, number, string][] = [
          [await post(bench.token, '{"format": "stimbench-record", ', 'rec-f'), 400, 'BAD_JSON'],
          [await post(bench.token, { hello: 'world' }, 'rec-f'), 422, 'BAD_RECORD'],
          [await post(bench.token, { ...file, record: { ...file.record, dose: 'lots' } }), 422, 'BAD_RECORD'],
          [await post(bench.token, { ...file, record: { ...file.record, status: 'open' } }), 422, 'RECORD_OPEN'],
          [await post(bench.token, file, 'rec-other'), 422, 'KEY_MISMATCH'],
          [await post(bench.token, { ...file, events: file.events.map((e) => ({ ...e, recordId: 'someone-else' })) }), 422, 'FOREIGN_PART'],
          [await post(bench.token, { ...file, record: { ...file.record, participant: 'Jane Doe 1980-01-01' } }), 422, 'BAD_PARTICIPANT'],
          [await post(bench.token, { ...file, record: { ...file.record, participant: 'p19800101' } }), 422, 'BAD_PARTICIPANT'],
          [await post(bench.token, file, 'bad key with spaces'), 400, 'BAD_IDEMPOTENCY_KEY'],
          [await post(bench.token, file, 'rec-f', { 'Content-Type': 'text/plain' }), 415, 'NOT_JSON'],
          [await post(bench.token, { ...file, padding: 'x'.repeat(600 * 1024) }), 413, 'TOO_LARGE'],
        ];
        for (const [response, status, error] of cases) {
          expect({ status: response.status, body: await response.json() }).toMatchObject({ status, body: { error } });
        }
        expect(await storedCount()).toBe(0);
      });

      test('wrong, missing and revoked bench tokens → 401, nothing stored', async () => {
        const bench = await issueBench();
        const file = await makeRecordFile('rec-g');
        expect((await post('sbb_not-a-real-token-at-all', file)).status).toBe(401);
        expect((await app.request('/api/records', { method: 'POST', headers: { 'Idempotency-Key': 'rec-g', 'Content-Type': 'application/json' }, body: JSON.stringify(file) })).status).toBe(401);
        expect((await post(adminToken, file)).status).toBe(401); // an admin session is not a bench token
        expect((await admin(`/api/admin/benches/${bench.id}/revoke`, { method: 'POST' })).status).toBe(200);
        const refused = await post(bench.token, file);
        expect(refused.status).toBe(401);
        expect(classifyResponse(refused.status, await refused.text(), 'rec-g').kind).toBe('failed');
        expect(await storedCount()).toBe(0);
      });

      test('a bench revoked after it has posted is refused at once (401), its later record not stored', async () => {
        const bench = await issueBench();
        expect((await post(bench.token, await makeRecordFile('rec-before'))).status).toBe(201);
        expect((await admin(`/api/admin/benches/${bench.id}/revoke`, { method: 'POST' })).status).toBe(200);
        const refused = await post(bench.token, await makeRecordFile('rec-after'));
        expect(refused.status).toBe(401);
        expect(await refused.json()).toMatchObject({ error: 'BAD_TOKEN' });
        expect(await db.query(`select id from records`)).toEqual([{ id: 'rec-before' }]);
      });

      test('a bench only adds records: its token opens no read route', async () => {
        const bench = await issueBench();
        await post(bench.token, await makeRecordFile('rec-h'));
        for (const path of ['/api/admin/sessions', '/api/admin/sessions/rec-h', '/api/admin/export.json', '/api/admin/benches', '/api/records', '/api/records/rec-h']) {
          const response = await app.request(path, { headers: { Authorization: `Bearer ${bench.token}` } });
          expect([401, 404]).toContain(response.status);
          expect(await response.text()).not.toMatch(/5000|dose|summaries/);
        }
      });

      test('ingest is rate limited per bench: 429 with Retry-After, which the app retries', async () => {
        const bench = await issueBench();
        const file = await makeRecordFile('rec-i');
        for (let i = 0; i < 50; i++) expect((await post(bench.token, file)).status).toBeLessThan(300);
        const limited = await post(bench.token, file);
        expect(limited.status).toBe(429);
        expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
        expect(classifyResponse(429, '', 'rec-i').kind).toBe('retry');
        nowMs += 60_000;
        expect((await post(bench.token, file)).status).toBe(200);
      });
    });

    describe('administration', () => {
      test('login: wrong password 401, rate limited after 10 tries per minute; routes need a session', async () => {
        const attempt = (password: string) => app.request('/api/admin/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
        expect((await attempt('wrong password!')).status).toBe(401);
        for (let i = 0; i < 8; i++) await attempt('wrong password!');
        expect((await attempt(PASSWORD)).status).toBe(429); // 11th in the window (the setup login was 1st)
        nowMs += 60_000;
        expect((await attempt(PASSWORD)).status).toBe(200);
        expect((await app.request('/api/admin/sessions')).status).toBe(401);
        expect((await app.request('/api/admin/sessions', { headers: { Authorization: 'Bearer sba_forged-session-token' } })).status).toBe(401);
        nowMs += 13 * 60 * 60_000; // past the 12 h session
        expect((await admin('/api/admin/sessions')).status).toBe(401);
      });

      test('the stored password is a scrypt hash, never the password', async () => {
        const [row] = await db.query<{ password_hash: string }>(`select password_hash from admins`);
        expect(row?.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
        expect(row?.password_hash).not.toContain(PASSWORD);
        const [bench] = await db.query<{ token_hash: string }>(`select token_hash from benches`);
        expect(bench).toBeUndefined();
        const issued = await issueBench();
        const [stored] = await db.query<{ token_hash: string }>(`select token_hash from benches`);
        expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(stored?.token_hash).not.toContain(issued.token);
      });

      test('session list filters by bench, participant, preset, outcome and date range; summary per participant', async () => {
        const one = await issueBench('bench 1');
        const two = await issueBench('bench 2');
        const day = (d: number) => Date.UTC(2026, 0, d, 9);
        await post(one.token, await makeRecordFile('s1', { participant: 'p01', presetId: 'conv', createdWallMs: day(1) }));
        await post(one.token, await makeRecordFile('s2', { participant: 'p01', presetId: 'burst', createdWallMs: day(2), outcome: 'stopped' }));
        await post(two.token, await makeRecordFile('s3', { participant: 'p02', presetId: 'conv', createdWallMs: day(3), outcome: 'estopped', faults: 2, estops: 1 }));
        const ids = async (query: string) => ((await (await admin(`/api/admin/sessions${query}`)).json()) as { sessions: { id: string }[] }).sessions.map((s) => s.id);
        expect(await ids('')).toEqual(['s3', 's2', 's1']);
        expect(await ids(`?bench=${one.id}`)).toEqual(['s2', 's1']);
        expect(await ids('?participant=p02')).toEqual(['s3']);
        expect(await ids('?preset=conv')).toEqual(['s3', 's1']);
        expect(await ids('?outcome=stopped')).toEqual(['s2']);
        expect(await ids('?from=2026-01-02&to=2026-01-03')).toEqual(['s2']);
        expect(await ids('?participant=p01&preset=conv')).toEqual(['s1']);
        expect(await ids('?limit=1&offset=1')).toEqual(['s2']);
        const summary = (await (await admin('/api/admin/participants/p01/summary')).json()) as Record<string, unknown>;
        expect(summary).toMatchObject({ participant: 'p01', sessions: 2, byOutcome: { completed: 1, stopped: 1 }, daily: [{ day: '2026-01-01', sessions: 1 }, { day: '2026-01-02', sessions: 1 }] });
        expect(summary.chargeUc).toBeGreaterThan(0);
        expect((await admin('/api/admin/participants/nobody/summary')).status).toBe(404);
        expect(await (await admin('/api/admin/participants/p02/summary')).json()).toMatchObject({ sessions: 1, faults: 2, estops: 1, byOutcome: { estopped: 1 } });
        const benches = ((await (await admin('/api/admin/benches')).json()) as { benches: { name: string; records: number; faults: number; estops: number }[] }).benches;
        expect(benches.map((b) => [b.name, b.records, b.faults, b.estops])).toEqual([['bench 1', 2, 0, 0], ['bench 2', 1, 2, 1]]);
      });

      test('SQL-injection strings in every filter match nothing or are refused, and change nothing', async () => {
        const bench = await issueBench();
        await post(bench.token, await makeRecordFile('s1', { participant: 'p01' }));
        for (const evil of INJECTIONS) {
          for (const key of ['bench', 'participant', 'preset', 'outcome', 'from', 'to', 'limit', 'offset']) {
            const response = await admin(`/api/admin/sessions?${key}=${encodeURIComponent(evil)}`);
            if (response.status === 200) expect(((await response.json()) as { total: number }).total).toBe(0);
            else expect({ key, evil, status: response.status, body: await response.json() }).toMatchObject({ status: 400, body: { error: 'BAD_FILTER' } });
          }
          expect([404, 400]).toContain((await admin(`/api/admin/participants/${encodeURIComponent(evil)}/summary`)).status);
          expect((await admin(`/api/admin/sessions/${encodeURIComponent(evil)}`)).status).toBe(404);
          expect((await admin(`/api/admin/export.csv?participant=${encodeURIComponent(evil)}`)).status).toBe(200);
        }
        expect(await storedCount()).toBe(1);
        expect(await db.query(`select count(*)::int as n from benches`)).toEqual([{ n: 1 }]);
        expect(errors).toEqual([]);
      });

      test('CSV and JSON export of a filtered view; the full record by id; each read audited', async () => {
        const bench = await issueBench();
        await post(bench.token, await makeRecordFile('s1', { participant: 'p01' }));
        await post(bench.token, await makeRecordFile('s2', { participant: 'p02' }));
        const csv = await admin('/api/admin/export.csv?participant=p01');
        expect(csv.headers.get('Content-Type')).toMatch(/text\/csv/);
        expect(csv.headers.get('Content-Disposition')).toMatch(/attachment; filename="stimbench-sessions-.*\.csv"/);
        const lines = (await csv.text()).trim().split('\r\n');
        expect(lines[0]).toMatch(/^record_id,bench_id,bench_name,participant,.*charge_uc,peak_ua,pain_pre_nrs,pain_post_nrs,faults,emergency_stops$/);
        expect(lines).toHaveLength(2);
        expect(lines[1]).toMatch(/^s1,.*,bench 1,p01,.*,completed,,2026-01-01T00:00:00.000Z,/);
        const json = (await (await admin('/api/admin/export.json?participant=p02')).json()) as { sessions: { id: string }[] };
        expect(json.sessions.map((s) => s.id)).toEqual(['s2']);
        const full = (await (await admin('/api/admin/sessions/s1')).json()) as { record: { id: string }; summaries: unknown[] };
        expect(full.record.id).toBe('s1');
        expect(full.summaries.length).toBeGreaterThan(0);
        const audit = (await (await admin('/api/admin/audit')).json()) as { entries: { action: string }[] };
        expect(audit.entries.map((e) => e.action)).toEqual(['record.read', 'export', 'export', 'bench.issue', 'login', 'admin.create']);
      });

      test('REDCap pair: a data dictionary and a records CSV whose columns are exactly its fields, one REDCap record per session', async () => {
        const bench = await issueBench();
        await post(bench.token, await makeRecordFile('s1', { participant: 'p01', createdWallMs: Date.UTC(2026, 0, 5, 8, 30, 15) }));
        await post(bench.token, await makeRecordFile('s2', { participant: 'p02', outcome: 'estopped' }));
        const dictionary = await (await admin('/api/admin/export/redcap-dictionary.csv')).text();
        const dictRows = dictionary.trim().split('\r\n').map(splitCsvLine);
        expect(dictRows[0]?.[0]).toBe('Variable / Field Name');
        expect(dictRows[0]).toHaveLength(18);
        const fieldNames = dictRows.slice(1).map((row) => row[0]);
        expect(fieldNames[0]).toBe('record_id');
        for (const name of fieldNames) expect(name).toMatch(/^[a-z][a-z0-9_]{0,25}$/); // REDCap variable names
        expect(dictionary).toContain('outcome,stimbench_session,,dropdown,Outcome,"1, completed | 2, stopped | 3, estopped | 4, fault | 5, connection-lost | 6, interrupted"');
        expect(dictionary).toContain('started_utc,stimbench_session,,text,Started (UTC),,,datetime_seconds_ymd');
        const records = (await (await admin('/api/admin/export/redcap-records.csv?participant=p01')).text()).trim().split('\r\n');
        expect(splitCsvLine(records[0]!)).toEqual(fieldNames);
        expect(records).toHaveLength(2);
        const row = Object.fromEntries(fieldNames.map((name, i) => [name, splitCsvLine(records[1]!)[i]]));
        expect(row).toMatchObject({ record_id: 's1', participant_code: 'p01', outcome: '1', stop_reason: '', started_utc: '2026-01-05 08:30:15', fault_count: '0' });
        const estopped = (await (await admin('/api/admin/export/redcap-records.csv?outcome=estopped')).text()).trim().split('\r\n');
        expect(estopped[1]).toMatch(/^s2,p02,.*,3,/);
        expect((await admin(`/api/admin/export/redcap-records.csv?from=${encodeURIComponent("2026' or '1'='1")}`)).status).toBe(400);
      });

      test('bench names are checked; a duplicate name is 409; revoking an unknown bench is 404', async () => {
        expect((await admin('/api/admin/benches', { method: 'POST', body: JSON.stringify({ name: "<script>alert(1)</script>" }) })).status).toBe(400);
        expect((await admin('/api/admin/benches', { method: 'POST', body: '{not json' })).status).toBe(400);
        await issueBench('bench 1');
        expect((await admin('/api/admin/benches', { method: 'POST', body: JSON.stringify({ name: 'bench 1' }) })).status).toBe(409);
        expect((await admin('/api/admin/benches/nope/revoke', { method: 'POST' })).status).toBe(404);
      });

      test('first-run setup creates the administrator once; a short password is refused', async () => {
        expect(await ensureAdmin(db, 'someone-else', 'another long password', nowMs)).toBe(false);
        expect(await db.query(`select username from admins`)).toEqual([{ username: 'admin' }]);
        await db.query(`truncate admins, admin_sessions, audit_log restart identity cascade`);
        await expect(ensureAdmin(db, 'admin', 'short', nowMs)).rejects.toThrow(/at least 12 characters/);
        expect(await db.query(`select count(*)::int as n from admins`)).toEqual([{ n: 0 }]);
      });
    });

    describe('programme assignment and adherence', () => {
      const HOUR = 3_600_000;
      /** 2026-06-01 is a Monday; Europe/Berlin is UTC+2 in June, so a 10:00 slot is due at 08:00 UTC. */
      const june = (day: number, hourUtc: number, minute = 0) => Date.UTC(2026, 5, day, hourUtc, minute);
      const assign = (code: string, body: unknown) => admin(`/api/admin/participants/${code}/assignment`, { method: 'PUT', body: JSON.stringify(body) });
      const weekly = { programmeId: 'weekly-conventional-4-week', startDay: '2026-06-01', timeZone: 'Europe/Berlin' };

      test('per week: sessions scheduled so far against the sessions recorded for them (done, partial, missed, due now)', async () => {
        const bench = await issueBench();
        const template = await makeRecordFile('template');
        const session = (id: string, createdWallMs: number, options: { participant?: string; presetId?: string; outcome?: 'completed' | 'stopped' } = {}) => {
          const file = recordWithId(template, id, options.participant ?? 'p01');
          file.record.createdWallMs = createdWallMs;
          file.record.endedWallMs = createdWallMs + HOUR / 2;
          file.record.outcome = options.outcome ?? 'completed';
          file.record.plan = { ...file.record.plan, presetId: options.presetId ?? 'conventional-tens' };
          return file;
        };
        const files = [
          session('mon-1', june(1, 8, 30)), // week 1, Monday: done
          session('wed-3', june(3, 9), { outcome: 'stopped' }), // Wednesday: stopped early → partial
          // Friday 5 June: nothing → missed
          session('other-preset', june(3, 11), { presetId: 'pdn-2hz-30min' }), // not the programme's preset
          session('too-late', june(1, 16, 30)), // after Monday's 8-hour window: counts for nothing
          session('mon-8', june(8, 8, 10)), // week 2, Monday: done
          session('mon-8-again', june(8, 15)), // a second session in the same window: still one session done
          session('someone-else', june(5, 9), { participant: 'p02' }),
        ];
        for (const file of files) expect((await post(bench.token, file)).status).toBe(201);
        await setClock(june(10, 12)); // Wednesday of week 2, 14:00 in Berlin: that day's session is due, not yet missed

        expect((await admin('/api/admin/participants/p01/adherence')).status).toBe(404);
        const set = await assign('p01', weekly);
        expect(set.status).toBe(200);
        expect(await set.json()).toMatchObject({ assignment: { participant: 'p01', ...weekly, nightSessions: false }, replaced: null });
        const report = (await (await admin('/api/admin/participants/p01/adherence')).json()) as Record<string, unknown>;
        expect(report.weeks).toEqual([
          { week: 1, firstDay: '2026-06-01', lastDay: '2026-06-07', scheduled: 3, dueSoFar: 3, completed: 1, partial: 1, missed: 1 },
          { week: 2, firstDay: '2026-06-08', lastDay: '2026-06-14', scheduled: 3, dueSoFar: 2, completed: 1, partial: 0, missed: 0 },
          { week: 3, firstDay: '2026-06-15', lastDay: '2026-06-21', scheduled: 3, dueSoFar: 0, completed: 0, partial: 0, missed: 0 },
          { week: 4, firstDay: '2026-06-22', lastDay: '2026-06-28', scheduled: 3, dueSoFar: 0, completed: 0, partial: 0, missed: 0 },
        ]);
        expect(report).toMatchObject({
          programme: { id: 'weekly-conventional-4-week', courseLengthDays: 28, windowMinutes: 480 },
          totals: { scheduled: 12, dueSoFar: 5, completed: 2, partial: 1, missed: 1, rate: 0.5 },
          unmatchedSessions: 2,
        });

        // The same course from a later start: Monday 1 June is no longer part of it, 'mon-1' counts for nothing.
        expect((await assign('p01', { ...weekly, startDay: '2026-06-02' })).status).toBe(200);
        const later = (await (await admin('/api/admin/participants/p01/adherence')).json()) as { weeks: unknown[]; totals: Record<string, unknown>; unmatchedSessions: number };
        expect(later.weeks[0]).toEqual({ week: 1, firstDay: '2026-06-02', lastDay: '2026-06-08', scheduled: 3, dueSoFar: 3, completed: 1, partial: 1, missed: 1 });
        expect(later.totals).toMatchObject({ scheduled: 12, dueSoFar: 4, completed: 1, partial: 1, missed: 1 });
      });

      test('night slots are scheduled only when turned on; the time zone moves the slots', async () => {
        const day = { programmeId: 'wearable-day-night-60-day', startDay: '2026-06-01', timeZone: 'UTC' };
        await setClock(june(2, 0)); // the whole of day 1 has passed
        expect((await assign('p03', day)).status).toBe(200);
        const dayOnly = (await (await admin('/api/admin/participants/p03/adherence')).json()) as { weeks: { dueSoFar: number; missed: number }[] };
        expect((await assign('p03', { ...day, nightSessions: true })).status).toBe(200);
        const withNight = (await (await admin('/api/admin/participants/p03/adherence')).json()) as { weeks: { dueSoFar: number }[] };
        expect(withNight.weeks[0]!.dueSoFar).toBeGreaterThan(dayOnly.weeks[0]!.dueSoFar);
        // Ten hours east of UTC, day 1's slots come ten hours earlier: more of them have passed by now.
        expect((await assign('p03', { ...day, timeZone: 'Pacific/Port_Moresby' })).status).toBe(200);
        await setClock(june(1, 12));
        const east = (await (await admin('/api/admin/participants/p03/adherence')).json()) as { weeks: { dueSoFar: number }[] };
        expect((await assign('p03', day)).status).toBe(200);
        const utc = (await (await admin('/api/admin/participants/p03/adherence')).json()) as { weeks: { dueSoFar: number }[] };
        expect(east.weeks[0]!.dueSoFar).toBeGreaterThan(utc.weeks[0]!.dueSoFar);
      });

      test('assignments are checked, replaced and removed, each change audited with what it replaced', async () => {
        for (const [body, message] of [
          [{ ...weekly, programmeId: "x'; drop table records; --" }, /built-in programme/],
          [{ ...weekly, startDay: '2026-02-30' }, /start day/],
          [{ ...weekly, startDay: '1 June' }, /start day/],
          [{ ...weekly, timeZone: 'Mars/Olympus' }, /time zone "Mars\/Olympus" is not known/],
          [{ ...weekly, nightSessions: 'yes' }, /nightSessions/],
          [null, /expected/],
        ] as const) {
          const response = await assign('p01', body);
          expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 400, body: { error: 'BAD_ASSIGNMENT', message: expect.stringMatching(message) } });
        }
        for (const code of ['P01', 'jane%20doe', '19800101']) expect((await assign(code, weekly)).status).toBe(400);
        expect((await app.request('/api/admin/participants/p01/assignment', { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(weekly) })).status).toBe(401);
        expect(await db.query(`select count(*)::int as n from programme_assignments`)).toEqual([{ n: 0 }]);

        expect((await assign('p01', weekly)).status).toBe(200);
        nowMs += 1000;
        const replaced = await assign('p01', { ...weekly, programmeId: 'pdn-4-week' });
        expect(((await replaced.json()) as { replaced: { programmeId: string } }).replaced.programmeId).toBe('weekly-conventional-4-week');
        expect(await (await admin('/api/admin/participants/p01/assignment')).json()).toMatchObject({ assignment: { programmeId: 'pdn-4-week' } });
        expect((await admin('/api/admin/participants/p01/assignment', { method: 'DELETE' })).status).toBe(200);
        expect((await admin('/api/admin/participants/p01/assignment', { method: 'DELETE' })).status).toBe(404);
        expect(await (await admin('/api/admin/participants/p01/assignment')).json()).toEqual({ assignment: null });
        const actions = await db.query<{ action: string; detail: Record<string, unknown> }>(`select action, detail from audit_log where action like 'assignment.%' order by id`);
        expect(actions.map((a) => a.action)).toEqual(['assignment.set', 'assignment.set', 'assignment.remove']);
        expect(actions[1]!.detail).toMatchObject({ participant: 'p01', programmeId: 'pdn-4-week', replaced: { programmeId: 'weekly-conventional-4-week' } });
        expect(actions[2]!.detail).toMatchObject({ removed: { programmeId: 'pdn-4-week' } });
        const programmes = (await (await admin('/api/admin/programmes')).json()) as { programmes: { id: string; hasNightSlots: boolean }[] };
        expect(programmes.programmes.map((p) => p.id)).toContain('weekly-conventional-4-week');
        expect(programmes.programmes.find((p) => p.id === 'wearable-day-night-60-day')?.hasNightSlots).toBe(true);
      });
    });

    describe('audit log view', () => {
      test('who did what when, newest first, a page at a time: tokens, enrolment links made and used, assignments, failed logins', async () => {
        const bench = await issueBench('bench a');
        nowMs += 1000;
        const link = (await (await admin('/api/admin/enrolments', { method: 'POST', body: JSON.stringify({ name: 'bench b' }) })).json()) as { code: string };
        const exchange = () => app.request('/api/enrol', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: link.code }) });
        expect((await exchange()).status).toBe(201);
        expect((await exchange()).status).toBe(410);
        expect((await admin(`/api/admin/benches/${bench.id}/revoke`, { method: 'POST' })).status).toBe(200);
        await app.request('/api/admin/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'a wrong password' }) });
        expect((await admin('/api/admin/participants/p01/assignment', { method: 'PUT', body: JSON.stringify({ programmeId: 'pdn-4-week', startDay: '2026-06-01', timeZone: 'UTC' }) })).status).toBe(200);

        type Page = { entries: { id: string; atWallMs: number; adminName: string | null; action: string; detail: Record<string, unknown> }[]; nextBefore: string | null };
        const pages: Page[] = [];
        let before: string | null = null;
        do {
          const page = (await (await admin(`/api/admin/audit?limit=3${before ? `&before=${before}` : ''}`)).json()) as Page;
          expect(page.entries.length).toBeLessThanOrEqual(3);
          pages.push(page);
          before = page.nextBefore;
        } while (before !== null && pages.length < 10);
        const entries = pages.flatMap((p) => p.entries);
        expect(entries.map((e) => e.action)).toEqual([
          'assignment.set', 'login.failed', 'bench.revoke', 'enrolment.refused', 'enrolment.use', 'enrolment.issue', 'bench.issue', 'login', 'admin.create',
        ]);
        expect(pages).toHaveLength(3);
        expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
        expect(entries.map((e) => Number(e.id))).toEqual([...entries.map((e) => Number(e.id))].sort((a, b) => b - a));
        const by = Object.fromEntries(entries.map((e) => [e.action, e]));
        expect(by['bench.revoke']).toMatchObject({ adminName: 'admin', detail: { benchId: bench.id } });
        expect(by['enrolment.use']).toMatchObject({ adminName: null, detail: { name: 'bench b' } });
        expect(by['enrolment.refused']).toMatchObject({ adminName: null, detail: { name: 'bench b', reason: 'used' } });
        expect(by['login.failed']).toMatchObject({ adminName: null, detail: { username: 'admin' } });
        expect(by['enrolment.issue']!.atWallMs).toBe(nowMs);
        expect(JSON.stringify(entries)).not.toContain(link.code);

        for (const bad of ['limit=0', 'limit=501', 'limit=x', "before=1%20or%201=1", 'before=-1']) {
          expect({ bad, status: (await admin(`/api/admin/audit?${bad}`)).status }).toEqual({ bad, status: 400 });
        }
        expect((await app.request('/api/admin/audit')).status).toBe(401);
      });
    });

    describe('security', () => {
      test('stored records are immutable: the database refuses update and delete', async () => {
        const bench = await issueBench();
        await post(bench.token, await makeRecordFile('s1'));
        await expect(db.query(`update records set outcome = 'completed', peak_ua = 0 where id = 's1'`)).rejects.toThrow(/immutable/);
        await expect(db.query(`delete from records where id = 's1'`)).rejects.toThrow(/immutable/);
        expect(await storedCount()).toBe(1);
      });

      test('CORS answers only the configured bench origins', async () => {
        const preflight = (origin: string) =>
          app.request('/api/records', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key' } });
        const allowed = await preflight(BENCH_ORIGIN);
        expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe(BENCH_ORIGIN);
        expect(allowed.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('idempotency-key');
        const other = await preflight('https://evil.example');
        expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
        const adminPreflight = await app.request('/api/admin/sessions', { method: 'OPTIONS', headers: { Origin: BENCH_ORIGIN, 'Access-Control-Request-Method': 'GET' } });
        expect(adminPreflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
      });

      test('security headers on every response; an unexpected error is a 500 without a stack trace', async () => {
        const ok = await app.request('/api/health');
        expect(await ok.json()).toEqual({ ok: true, database: db.kind });
        expect(ok.headers.get('Content-Security-Policy')).toMatch(/default-src 'none'/);
        expect(ok.headers.get('X-Content-Type-Options')).toBe('nosniff');
        expect(ok.headers.get('Referrer-Policy')).toBe('no-referrer');
        const broken = createLabApp({
          db: { ...db, kind: db.kind, query: () => Promise.reject(new Error('connection reset at /srv/secret/path.ts:12')), transaction: db.transaction, close: db.close },
          logError: (e) => errors.push(e),
        });
        const failed = await broken.request('/api/health');
        expect(failed.status).toBe(500);
        const text = await failed.text();
        expect(JSON.parse(text)).toEqual({ error: 'INTERNAL', message: expect.stringMatching(/could not complete/) });
        expect(text).not.toMatch(/secret|at |\.ts/);
        expect(errors).toHaveLength(1);
        expect((await app.request('/nope')).status).toBe(404);
      });
    });
  });
}
