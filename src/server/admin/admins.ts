/** Administrator accounts and their login sessions (12 h, token stored as a SHA-256 digest). */
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../auth/password.ts';
import { newToken, sha256Hex } from '../auth/tokens.ts';
import type { Database } from '../db/Database.ts';
import { audit } from './audit.ts';

export const ADMIN_SESSION_MS = 12 * 60 * 60_000;
/** Spent on an unknown user too, so a login's timing does not tell which usernames exist. */
let dummyHash: Promise<string> | null = null;

export class AdminSetupError extends Error {
  override name = 'AdminSetupError';
}

/**
 * First-run setup: create the administrator when none exists. Does nothing (returns false) when one
 * already exists, so a password left in the environment cannot silently replace a changed one.
 */
export async function ensureAdmin(db: Database, username: string, password: string, nowWallMs: number): Promise<boolean> {
  if (!/^[a-z0-9_.-]{1,40}$/i.test(username)) throw new AdminSetupError(`administrator name "${username}" refused: expected 1–40 letters, digits, ".", "_" or "-"`);
  if (password.length < MIN_PASSWORD_LENGTH) throw new AdminSetupError(`administrator password refused: expected at least ${MIN_PASSWORD_LENGTH} characters, got ${password.length}`);
  const hash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [existing] = await tx.query<{ n: number }>(`select count(*)::int as n from admins`);
    if ((existing?.n ?? 0) > 0) return false;
    const [created] = await tx.query<{ id: number }>(`insert into admins (username, password_hash, created_wall_ms) values ($1, $2, $3) returning id`, [username, hash, nowWallMs]);
    await audit(tx, created?.id ?? null, 'admin.create', { username }, nowWallMs);
    return true;
  });
}

export async function login(db: Database, username: string, password: string, nowWallMs: number): Promise<{ token: string; adminId: number; expiresWallMs: number } | null> {
  const [admin] = await db.query<{ id: number; password_hash: string }>(`select id, password_hash from admins where username = $1`, [username]);
  if (!admin) {
    dummyHash ??= hashPassword('not a real password');
    await verifyPassword(password, await dummyHash);
    return null;
  }
  if (!(await verifyPassword(password, admin.password_hash))) return null;
  const token = newToken('sba');
  const expiresWallMs = nowWallMs + ADMIN_SESSION_MS;
  await db.query(`delete from admin_sessions where expires_wall_ms <= $1`, [nowWallMs]);
  await db.query(`insert into admin_sessions (token_sha256, admin_id, expires_wall_ms) values ($1, $2, $3)`, [sha256Hex(token), admin.id, expiresWallMs]);
  return { token, adminId: admin.id, expiresWallMs };
}

export async function adminForToken(db: Database, token: string, nowWallMs: number): Promise<number | null> {
  const [row] = await db.query<{ admin_id: number }>(`select admin_id from admin_sessions where token_sha256 = $1 and expires_wall_ms > $2`, [sha256Hex(token), nowWallMs]);
  return row ? row.admin_id : null;
}

export async function logout(db: Database, token: string): Promise<void> {
  await db.query(`delete from admin_sessions where token_sha256 = $1`, [sha256Hex(token)]);
}
