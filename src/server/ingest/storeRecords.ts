/**
 * Store checked records (ingestRecord.ts) in ONE statement, atomic, idempotent by record id:
 * - each record's bench must still be active when it is stored (checked in the statement: the route may
 *   have found the bench through its token cache); a revoked bench's records are not stored → 401;
 * - a new id → stored, 201 `{ id }`; the same record again (same content digest; the export time may
 *   differ) → 200 `{ id, duplicate: true }`; a different record under a stored id → 409, nothing changed.
 * `on conflict do nothing` makes two concurrent posts of one record store it once. The rows travel as
 * one JSON parameter (`json_to_recordset`), so one round trip stores many records and every value is
 * still a bound parameter, never SQL text. The caller gives each id at most once per call (IngestBatcher
 * holds a second copy back for the next call), so within a call "inserted" means "this post stored it".
 */
import type { Queryable } from '../db/Database.ts';
import { refusal, type IngestOutcome, type PreparedRecord, type RecordRow } from './ingestRecord.ts';

const COLUMNS = [
  'id', 'bench_id', 'content_sha256', 'participant', 'preset_id', 'label', 'outcome', 'stop_reason', 'created_wall_ms',
  'ended_wall_ms', 'received_wall_ms', 'firmware_version', 'serial_number', 'target_ua', 'active_ms', 'charge_uc', 'peak_ua',
  'pain_pre', 'pain_post', 'fault_count', 'estop_count',
] as const satisfies readonly (keyof RecordRow)[];

const TYPES: Record<(typeof COLUMNS)[number], string> = {
  id: 'text', bench_id: 'text', content_sha256: 'text', participant: 'text', preset_id: 'text', label: 'text', outcome: 'text',
  stop_reason: 'text', created_wall_ms: 'float8', ended_wall_ms: 'float8', received_wall_ms: 'float8', firmware_version: 'text',
  serial_number: 'text', target_ua: 'float8', active_ms: 'float8', charge_uc: 'float8', peak_ua: 'float8', pain_pre: 'int',
  pain_post: 'int', fault_count: 'int', estop_count: 'int',
};

// The bench's last-seen update and the insert are data-modifying CTEs of the same statement; the stored
// digests of ids already present are read in it too (its snapshot: rows committed before it started).
// Rows are inserted in id order, so two servers storing overlapping ids at once take locks in one order.
const STORE_SQL = `with input as (
    select * from json_to_recordset($1::text::json) as x(ord int, ${COLUMNS.map((c) => `${c} ${TYPES[c]}`).join(', ')}, body jsonb)
  ), seen as (
    update benches b set last_seen_wall_ms = $2, last_firmware = latest.firmware_version
    from (select distinct on (bench_id) bench_id, firmware_version from input order by bench_id, ord desc) latest
    where b.id = latest.bench_id and b.revoked_wall_ms is null
    returning b.id
  ), ins as (
    insert into records (${COLUMNS.join(', ')}, body)
    select ${COLUMNS.map((c) => `i.${c}`).join(', ')}, i.body from input i join seen on seen.id = i.bench_id
    order by i.id
    on conflict (id) do nothing
    returning id
  )
  select i.ord, exists (select 1 from seen where seen.id = i.bench_id) as active,
    exists (select 1 from ins where ins.id = i.id) as inserted, r.content_sha256 as stored
  from input i left join records r on r.id = i.id
  order by i.ord`;

/** One JSON array of the rows, each body spliced in as the JSON text it already is (no second encoding). */
function rowsJson(records: readonly PreparedRecord[]): string {
  return `[${records.map((r, ord) => `${JSON.stringify({ ord, ...r.row }).slice(0, -1)},"body":${r.bodyJson}}`).join(',')}]`;
}

/** Store `records` (distinct ids) in one statement; one answer per record, in order. */
export async function storeRecords(db: Queryable, records: readonly PreparedRecord[], nowWallMs: number): Promise<IngestOutcome[]> {
  if (records.length === 0) return [];
  const rows = await db.query<{ ord: number; active: boolean; inserted: boolean; stored: string | null }>(STORE_SQL, [rowsJson(records), nowWallMs]);
  const outcomes: IngestOutcome[] = [];
  for (const [ord, record] of records.entries()) {
    const row = rows[ord];
    const id = record.row.id;
    if (row?.ord !== ord) throw new Error(`the storing statement answered row ${String(row?.ord)} for row ${ord}`);
    if (!row.active) {
      outcomes.push(refusal(401, 'BAD_TOKEN', 'this bench token has been revoked: nothing was stored'));
      continue;
    }
    if (row.inserted) {
      outcomes.push({ status: 201, body: { id, duplicate: false } });
      continue;
    }
    // The statement's snapshot predates a concurrent post of the same id that committed while this insert
    // waited on it: then the stored digest is read again, now that it is visible.
    const stored = row.stored ?? (await db.query<{ content_sha256: string }>(`select content_sha256 from records where id = $1`, [id]))[0]?.content_sha256;
    if (stored === record.row.content_sha256) outcomes.push({ status: 200, body: { id, duplicate: true } });
    else outcomes.push(refusal(409, 'CONFLICT', `the lab server already holds a different record under id "${id}": this one was not stored`));
  }
  return outcomes;
}
