/**
 * Lab server ingest: 20 benches posting records concurrently over real HTTP to a server on the embedded
 * database (PGlite, in memory) and, when Debian's PostgreSQL is installed, on a throw-away PostgreSQL server, each bench one request at a time as LabSync does. Prints records/s and
 * p50/p99 latency, then checks nothing was lost or stored twice (that part is asserted; time is not).
 * Then the table is filled up to 100,000 sessions (one set-based insert of compact rows spread over
 * 20 benches, 50 participants, every outcome and a year of dates; their bodies are a small stand-in, as
 * the dashboard queries read only the columns), and the admin session list filtered by participant and
 * outcome and the per-participant summary are timed (p95 of 40 requests each, over HTTP).
 * LAB_BENCH_RECORDS sets records per bench (default 1000, the target figure); LAB_BENCH_SESSIONS the
 * sessions stored for the query timings (default 100,000).
 */
import { performance } from 'node:perf_hooks';
import { expect, test } from 'vitest';
import type { RecordFileJson } from '../src/lib/session/exportRecordJson.ts';
import type { Queryable } from '../src/server/db/Database.ts';
import { ensureAdmin } from '../src/server/admin/admins.ts';
import { issueBench } from '../src/server/admin/benches.ts';
import { startLabServer } from '../src/server/startLabServer.ts';
import { findPostgresBin, startTestPostgres } from '../tests/server/postgresServer.ts';
import { makeRecordFile } from '../tests/server/recordFixture.ts';

const BENCHES = 20;
const PER_BENCH = Number(process.env.LAB_BENCH_RECORDS ?? 1000);
const SESSIONS = Number(process.env.LAB_BENCH_SESSIONS ?? 100_000);

/** Fill `records` up to `sessions` rows in one statement, without a round trip per row. */
async function seedSessions(db: Queryable, sessions: number): Promise<void> {
  await db.query(
    `insert into records (id, bench_id, content_sha256, participant, preset_id, label, outcome, stop_reason,
       created_wall_ms, ended_wall_ms, received_wall_ms, firmware_version, serial_number, target_ua,
       active_ms, charge_uc, peak_ua, pain_pre, pain_post, fault_count, estop_count, body)
     select 'seed-' || g, b.id, 'seed', 'p' || lpad((g % 50)::text, 2, '0'), 'preset-' || (g % 7), 'seeded session',
       (array['completed', 'stopped', 'estopped', 'fault', 'connection-lost', 'interrupted'])[1 + g % 6], null,
       $2::float8 + (g % 365) * 86400000.0 + g, $2::float8 + (g % 365) * 86400000.0 + g + 1800000, $2::float8, '1.0.0', 'SN', 5000,
       1800000, 9000, 6000, g % 11, (g + 3) % 11, g % 97 / 90, g % 101 / 100, '{}'::jsonb
     from generate_series(1, $1::int - (select count(*)::int from records)) g
     join (select id, (row_number() over (order by name) - 1)::int as n from benches) b on b.n = g % ${BENCHES}`,
    [sessions, Date.UTC(2026, 0, 1)],
  );
}

function withId(template: RecordFileJson, id: string, participant: string): string {
  return JSON.stringify({
    ...template,
    record: { ...template.record, id, participant },
    events: template.events.map((e) => ({ ...e, recordId: id })),
    summaries: template.summaries.map((c) => ({ ...c, recordId: id })),
  });
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const postgresBin = findPostgresBin();
const backends = [{ name: 'PGlite' }, ...(postgresBin ? [{ name: 'PostgreSQL' }] : [])];

test.each(backends)(`ingest: ${BENCHES} benches × ${PER_BENCH} records concurrently on $name`, async ({ name }) => {
  const postgres = name === 'PostgreSQL' ? await startTestPostgres(postgresBin!) : null;
  const server = await startLabServer({ port: 0, host: '127.0.0.1', dataDir: null, databaseUrl: postgres?.url ?? null, recordsPerMinute: 1_000_000, log: () => {} });
  try {
    const template = await makeRecordFile('template', { seconds: 60 });
    await ensureAdmin(server.db, 'admin', 'benchmark-password', Date.now());
    const benches = await Promise.all(Array.from({ length: BENCHES }, (_, b) => issueBench(server.db, `bench ${b}`, Date.now())));
    const latenciesMs: number[] = [];
    const statuses = new Map<number, number>();
    let retries = 0;
    const started = performance.now();
    await Promise.all(
      benches.map(async (bench, b) => {
        for (let i = 0; i < PER_BENCH; i++) {
          const id = `b${b}-r${i}`;
          const body = withId(template, id, `p${String(i % 50).padStart(2, '0')}`);
          const t0 = performance.now();
          let response: Response | null = null;
          // A dropped connection is retried with the same Idempotency-Key, as LabSync does; counted.
          for (let attempt = 0; response === null; attempt++) {
            try {
              response = await fetch(`${server.url}/api/records`, {
                method: 'POST',
                headers: { Authorization: `Bearer ${bench!.token}`, 'Idempotency-Key': id, 'Content-Type': 'application/json' },
                body,
              });
            } catch (error) {
              if (attempt >= 3) throw error;
              retries++;
            }
          }
          await response.text();
          latenciesMs.push(performance.now() - t0);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    latenciesMs.sort((a, b) => a - b);
    const total = BENCHES * PER_BENCH;
    const [stored] = await server.db.query<{ n: number; distinct: number }>(`select count(*)::int as n, count(distinct id)::int as distinct from records`);
    console.log(
      `lab ingest (${name}): ${total} records (${(template.summaries.length)} summary chunk(s) each, ${JSON.stringify(template).length} bytes) in ${elapsedS.toFixed(1)} s = ${(total / elapsedS).toFixed(0)} records/s; ` +
        `latency p50 ${percentile(latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(latenciesMs, 99).toFixed(1)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ${retries} retried after a dropped connection; stored ${stored?.n}`,
    );
    expect((statuses.get(201) ?? 0) + (statuses.get(200) ?? 0)).toBe(total);
    expect(stored).toEqual({ n: total, distinct: total });

    const seedStarted = performance.now();
    await seedSessions(server.db, SESSIONS);
    const [seeded] = await server.db.query<{ n: number }>(`select count(*)::int as n from records`);
    console.log(`lab seed (${name}): ${seeded?.n} sessions stored in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    await server.db.query(`analyze records`);
    const login = await fetch(`${server.url}/api/admin/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'benchmark-password' }) });
    const { token } = (await login.json()) as { token: string };
    const time = async (path: string) => {
      const times: number[] = [];
      for (let i = 0; i < 40; i++) {
        const t0 = performance.now();
        const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
        await response.text();
        expect(response.status).toBe(200);
        times.push(performance.now() - t0);
      }
      return percentile(times.sort((a, b) => a - b), 95);
    };
    const listP95 = await time(`/api/admin/sessions?participant=p07&outcome=completed&limit=100`);
    const summaryP95 = await time(`/api/admin/participants/p07/summary`);
    console.log(`lab queries (${name}, ${seeded?.n} sessions): filtered list p95 ${listP95.toFixed(1)} ms, participant summary p95 ${summaryP95.toFixed(1)} ms`);
  } finally {
    await server.close();
    postgres?.stop();
  }
});
