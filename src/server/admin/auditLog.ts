/**
 * Reading the audit log for the administrator: newest first, a page at a time, with the acting
 * administrator's name. `before` is the id of the last entry of the previous page (keyset paging, so a
 * page does not shift when new entries arrive while the administrator reads).
 */
import * as v from 'valibot';
import type { Queryable } from '../db/Database.ts';

export interface AuditEntry {
  id: string;
  atWallMs: number;
  /** null for what no logged-in administrator did (a failed login, a bench using its enrolment link). */
  adminId: number | null;
  adminName: string | null;
  action: string;
  detail: Record<string, unknown>;
}

const count = (max: number) => v.pipe(v.string(), v.regex(/^\d{1,18}$/, 'expected a whole number'), v.transform(Number), v.minValue(1, 'expected at least 1'), v.maxValue(max, `expected at most ${max}`));

export const AuditQuerySchema = v.object({
  limit: v.optional(count(500), '50'),
  before: v.optional(v.pipe(v.string(), v.regex(/^\d{1,18}$/, 'expected the id of an audit entry'))),
});

export type AuditQuery = v.InferOutput<typeof AuditQuerySchema>;

export async function auditPage(db: Queryable, query: AuditQuery): Promise<{ entries: AuditEntry[]; nextBefore: string | null }> {
  // One more than asked, to know whether an older page exists.
  const rows = await db.query<AuditEntry>(
    `select l.id::text as id, l.at_wall_ms as "atWallMs", l.admin_id as "adminId", a.username as "adminName", l.action, l.detail
     from audit_log l left join admins a on a.id = l.admin_id
     where ($1::bigint is null or l.id < $1::bigint)
     order by l.id desc
     limit $2`,
    [query.before ?? null, query.limit + 1],
  );
  const entries = rows.slice(0, query.limit);
  return { entries, nextBefore: rows.length > query.limit ? (entries.at(-1)?.id ?? null) : null };
}
