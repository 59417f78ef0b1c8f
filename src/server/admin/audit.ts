/** The audit log: every administrator action that changes something or reads records, with who and when. */
import type { Queryable } from '../db/Database.ts';

export async function audit(db: Queryable, adminId: number | null, action: string, detail: Record<string, unknown>, nowWallMs: number): Promise<void> {
  await db.query(`insert into audit_log (at_wall_ms, admin_id, action, detail) values ($1, $2, $3, $4::text::jsonb)`, [nowWallMs, adminId, action, JSON.stringify(detail)]);
}
