/**
 * The SHA-256 of a record's JSON export, as lowercase hex (Web Crypto). A printed report carries the
 * digest of the exact file saved with it, so paper and file can be matched later (`sha256sum` on the
 * file gives the same 64 characters).
 */
import { exportRecordJson } from '../../../lib/session/exportRecordJson.ts';
import type { FullRecord } from '../../../lib/session/recordTypes.ts';

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface DigestedExport {
  /** The JSON file's text, exactly as saved. */
  text: string;
  sha256: string;
  exportedWallMs: number;
}

/** The record's JSON export stamped `exportedWallMs`, with its digest. */
export async function digestedExport(full: FullRecord, exportedWallMs: number): Promise<DigestedExport> {
  const text = exportRecordJson(full, exportedWallMs);
  return { text, sha256: await sha256Hex(text), exportedWallMs };
}
