/**
 * Lab server ingest: 20 benches posting records concurrently over real HTTP to a server on the embedded
 * database (PGlite, in memory) and, when Debian's PostgreSQL is installed, on a throw-away PostgreSQL server, each bench one request at a time as LabSync does. Prints records/s and
 * p50/p99 latency, then checks nothing was lost or stored twice (that part is asserted; time is not).
 * Then the admin session list and a participant summary are timed (p95) over what was stored.
 * LAB_BENCH_RECORDS sets records per bench (default 100; the target figure uses 1000).
 */
import { performance } from 'node:perf_hooks';
import { expect, test } from 'vitest';
import type { RecordFileJson } from '../src/lib/storage/exportRecordJson.ts';
import { ensureAdmin } from '../src/server/admin/admins.ts';
import { issueBench } from '../src/server/admin/benches.ts';
import { startLabServer } from '../src/server/startLabServer.ts';
import { findPostgresBin, startTestPostgres } from '../tests/server/postgresServer.ts';
import { makeRecordFile } from '../tests/server/recordFixture.ts';

const BENCHES = 20;
const PER_BENCH = Number(process.env.LAB_BENCH_RECORDS ?? 100);

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
    console.log(`lab queries (${name}, ${total} sessions): filtered list p95 ${listP95.toFixed(1)} ms, participant summary p95 ${summaryP95.toFixed(1)} ms`);
  } finally {
    await server.close();
    postgres?.stop();
  }
});
