/**
 * JSON with object keys sorted at every level, so the same record always hashes the same however its
 * keys were ordered on the way (PostgreSQL's jsonb, for one, reorders them). The text must never
 * change for a given document: stored records are compared by its SHA-256 digest. Arrays of numbers
 * (most of a record: per-second summaries) take a fast path with the same output.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ',';
      out += typeof item === 'number' ? JSON.stringify(item) : canonicalJson(item);
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let out = '{';
    let first = true;
    for (const key of keys) {
      const item = (value as Record<string, unknown>)[key];
      if (item === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
