/**
 * A built web app's files, read once into memory, for the servers that serve them (the app server and
 * the lab dashboard). Only paths present in the build answer: no file-system path is ever built from a
 * request.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  body: Uint8Array<ArrayBuffer>;
  type: string;
}

/** Every file under `dir` by its '/'-separated relative path; null when `dir` holds no index.html (not built). */
export function readStaticFiles(dir: string): Map<string, StaticFile> | null {
  const files = new Map<string, StaticFile>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path).split(sep).join('/'), { body: new Uint8Array(readFileSync(path)), type: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' });
    }
  };
  try {
    walk(dir);
  } catch {
    return null;
  }
  return files.has('index.html') ? files : null;
}
