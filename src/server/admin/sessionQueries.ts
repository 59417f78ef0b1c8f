/** Read side of the admin API: the filtered session list, one record, and a participant's summary. */
import type { Queryable } from '../db/Database.ts';
import { FILTER_WHERE, filterParams, type SessionFilter } from './sessionFilters.ts';

export interface SessionRow {
  id: string;
  benchId: string;
  benchName: string;
  participant: string | null;
  presetId: string | null;
  label: string;
  outcome: string;
  stopReason: string | null;
  createdWallMs: number;
  endedWallMs: number | null;
  receivedWallMs: number;
  firmwareVersion: string;
  serialNumber: string;
  targetUa: number | null;
  activeMs: number;
  chargeUc: number;
  peakUa: number;
  painPre: number | null;
  painPost: number | null;
  faultCount: number;
  estopCount: number;
}

const COLUMNS = `r.id, r.bench_id as "benchId", b.name as "benchName", r.participant, r.preset_id as "presetId", r.label,
  r.outcome, r.stop_reason as "stopReason", r.created_wall_ms as "createdWallMs", r.ended_wall_ms as "endedWallMs",
  r.received_wall_ms as "receivedWallMs", r.firmware_version as "firmwareVersion", r.serial_number as "serialNumber",
  r.target_ua as "targetUa", r.active_ms as "activeMs", r.charge_uc as "chargeUc", r.peak_ua as "peakUa",
  r.pain_pre as "painPre", r.pain_post as "painPost", r.fault_count as "faultCount", r.estop_count as "estopCount"`;

export async function listSessions(db: Queryable, filter: SessionFilter): Promise<{ total: number; sessions: SessionRow[] }> {
  const params = filterParams(filter);
  const [counted] = await db.query<{ total: number }>(`select count(*)::int as total from records where ${FILTER_WHERE}`, params);
  const sessions = await db.query<SessionRow>(
    `select ${COLUMNS} from (select * from records where ${FILTER_WHERE}) r join benches b on b.id = r.bench_id
     order by r.created_wall_ms desc, r.id
     limit $7 offset $8`,
    [...params, filter.limit, filter.offset],
  );
  return { total: counted?.total ?? 0, sessions };
}

export async function getRecordBody(db: Queryable, id: string): Promise<unknown | null> {
  const [row] = await db.query<{ body: unknown }>(`select body from records where id = $1`, [id]);
  return row ? row.body : null;
}

export interface ParticipantSummary {
  participant: string;
  sessions: number;
  byOutcome: Record<string, number>;
  activeMs: number;
  chargeUc: number;
  faults: number;
  estops: number;
  firstWallMs: number | null;
  lastWallMs: number | null;
  meanPainPre: number | null;
  meanPainPost: number | null;
  /** One row per UTC day with sessions: for a dose-over-time plot. */
  daily: { day: string; sessions: number; activeMs: number; chargeUc: number }[];
}

export async function participantSummary(db: Queryable, participant: string): Promise<ParticipantSummary | null> {
  const [totals] = await db.query<{ sessions: number; activeMs: number; chargeUc: number; faults: number; estops: number; firstWallMs: number | null; lastWallMs: number | null; meanPainPre: number | null; meanPainPost: number | null }>(
    `select count(*)::int as sessions, coalesce(sum(active_ms), 0)::float8 as "activeMs", coalesce(sum(charge_uc), 0)::float8 as "chargeUc",
       coalesce(sum(fault_count), 0)::int as faults, coalesce(sum(estop_count), 0)::int as estops,
       min(created_wall_ms) as "firstWallMs", max(created_wall_ms) as "lastWallMs",
       avg(pain_pre)::float8 as "meanPainPre", avg(pain_post)::float8 as "meanPainPost"
     from records where participant = $1`,
    [participant],
  );
  if (!totals || totals.sessions === 0) return null;
  const outcomes = await db.query<{ outcome: string; n: number }>(`select outcome, count(*)::int as n from records where participant = $1 group by outcome order by outcome`, [participant]);
  const daily = await db.query<{ day: string; sessions: number; activeMs: number; chargeUc: number }>(
    `select to_char(to_timestamp(created_wall_ms / 1000.0) at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as sessions,
       sum(active_ms)::float8 as "activeMs", sum(charge_uc)::float8 as "chargeUc"
     from records where participant = $1 group by 1 order by 1`,
    [participant],
  );
  return { participant, ...totals, byOutcome: Object.fromEntries(outcomes.map((o) => [o.outcome, o.n])), daily };
}
