/** Benches: each has a name and a token (shown once at issue, stored as a SHA-256 digest), revocable. */
import { randomUUID } from 'node:crypto';
import { newToken, sha256Hex } from '../auth/tokens.ts';
import type { Database, Queryable } from '../db/Database.ts';

export interface BenchRow {
  id: string;
  name: string;
  createdWallMs: number;
  revokedWallMs: number | null;
  lastSeenWallMs: number | null;
  lastFirmware: string | null;
  records: number;
  /** Fault events and emergency stops across the bench's records. */
  faults: number;
  estops: number;
}

export async function issueBench(db: Queryable, name: string, nowWallMs: number): Promise<{ id: string; name: string; token: string } | null> {
  const id = randomUUID();
  const token = newToken('sbb');
  const rows = await db.query<{ id: string }>(
    `insert into benches (id, name, token_hash, created_wall_ms) values ($1, $2, $3, $4) on conflict (name) do nothing returning id`,
    [id, name, sha256Hex(token), nowWallMs],
  );
  return rows.length === 1 ? { id, name, token } : null;
}

/** True when the bench existed and was active; its token stops working at once. */
export async function revokeBench(db: Database, id: string, nowWallMs: number): Promise<boolean> {
  const rows = await db.query(`update benches set revoked_wall_ms = $2 where id = $1 and revoked_wall_ms is null returning id`, [id, nowWallMs]);
  return rows.length === 1;
}

/** The active bench holding this token, or null (unknown or revoked). */
export async function benchForToken(db: Database, token: string): Promise<string | null> {
  return benchForTokenHash(db, sha256Hex(token));
}

/** The same, from the token's SHA-256 digest (hex). */
export async function benchForTokenHash(db: Database, tokenHash: string): Promise<string | null> {
  const [row] = await db.query<{ id: string }>(`select id from benches where token_hash = $1 and revoked_wall_ms is null`, [tokenHash]);
  return row ? row.id : null;
}

export async function listBenches(db: Database): Promise<BenchRow[]> {
  return db.query<BenchRow>(
    `select b.id, b.name, b.created_wall_ms as "createdWallMs", b.revoked_wall_ms as "revokedWallMs",
       b.last_seen_wall_ms as "lastSeenWallMs", b.last_firmware as "lastFirmware",
       coalesce(r.records, 0) as records, coalesce(r.faults, 0) as faults, coalesce(r.estops, 0) as estops
     from benches b
     left join (select bench_id, count(*)::int as records, sum(fault_count)::int as faults, sum(estop_count)::int as estops
                from records group by bench_id) r on r.bench_id = b.id
     order by b.name`,
  );
}
