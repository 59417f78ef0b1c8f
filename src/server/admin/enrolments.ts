/**
 * One-time enrolment links: the administrator names a bench and gets a link holding a random code;
 * the bench that opens it exchanges the code for its own bench token, once, before the code expires.
 * Only the code's SHA-256 digest is stored. The exchange marks the code used and issues the bench in one
 * transaction, so a code can never give out two tokens, even when two benches race with it. A use of a
 * link (and a refused second use or late use) is written to the audit log in that transaction.
 */
import { newToken, sha256Hex } from '../auth/tokens.ts';
import type { Database } from '../db/Database.ts';
import { audit } from './audit.ts';
import { issueBench } from './benches.ts';

/** How long an enrolment link works: long enough to walk to the bench, short enough not to linger. */
export const ENROLMENT_VALID_MS = 24 * 60 * 60 * 1000;

export async function issueEnrolment(db: Database, benchName: string, nowWallMs: number, validMs = ENROLMENT_VALID_MS): Promise<{ code: string; expiresWallMs: number } | null> {
  const taken = await db.query(`select 1 from benches where name = $1`, [benchName]);
  if (taken.length > 0) return null;
  const code = newToken('sbe');
  const expiresWallMs = nowWallMs + validMs;
  await db.query(`insert into enrolments (code_sha256, bench_name, created_wall_ms, expires_wall_ms) values ($1, $2, $3, $4)`, [sha256Hex(code), benchName, nowWallMs, expiresWallMs]);
  return { code, expiresWallMs };
}

export type ExchangeOutcome =
  | { ok: true; bench: { id: string; name: string; token: string } }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'name-taken' };

export async function exchangeEnrolment(db: Database, code: string, nowWallMs: number): Promise<ExchangeOutcome> {
  const digest = sha256Hex(code);
  return db.transaction(async (tx) => {
    // `for update` makes a second exchange of the same code wait for this one, then see it used.
    const [row] = await tx.query<{ bench_name: string; expires_wall_ms: number; used_wall_ms: number | null }>(
      `select bench_name, expires_wall_ms, used_wall_ms from enrolments where code_sha256 = $1 for update`,
      [digest],
    );
    if (!row) return { ok: false, reason: 'unknown' } as const;
    const refused = async (reason: 'used' | 'expired' | 'name-taken') => {
      await audit(tx, null, 'enrolment.refused', { name: row.bench_name, reason }, nowWallMs);
      return { ok: false, reason } as const;
    };
    if (row.used_wall_ms !== null) return refused('used');
    if (nowWallMs >= row.expires_wall_ms) return refused('expired');
    const bench = await issueBench(tx, row.bench_name, nowWallMs);
    if (!bench) return refused('name-taken');
    await tx.query(`update enrolments set used_wall_ms = $2, bench_id = $3 where code_sha256 = $1`, [digest, nowWallMs, bench.id]);
    await audit(tx, null, 'enrolment.use', { name: bench.name, benchId: bench.id }, nowWallMs);
    return { ok: true, bench } as const;
  });
}
