/**
 * Bench tokens, admin session tokens and enrolment codes: 32 random bytes (base64url), shown once and stored only as a
 * SHA-256 digest. A slow hash is not needed here: the token is random, not a password a person chose.
 */
import { createHash, randomBytes } from 'node:crypto';

export function newToken(prefix: 'sbb' | 'sba' | 'sbe'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header?.trim() ?? '');
  return match ? (match[1] as string) : null;
}
