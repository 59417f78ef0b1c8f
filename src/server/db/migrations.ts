/**
 * Versioned schema migrations, run in order at start, each in its own transaction with its version
 * recorded in `schema_migrations`. A transaction-scoped advisory lock keeps two servers starting on the
 * same PostgreSQL from migrating at once. Never edit a released migration: add the next one.
 */
import type { Database } from './Database.ts';

export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'benches, records, administrators, audit log',
    statements: [
      `create table benches (
         id text primary key,
         name text not null unique,
         token_hash text not null unique,
         created_wall_ms double precision not null,
         revoked_wall_ms double precision,
         last_seen_wall_ms double precision,
         last_firmware text
       )`,
      `create table records (
         id text primary key,
         bench_id text not null references benches (id),
         content_sha256 text not null,
         participant text,
         preset_id text,
         label text not null,
         outcome text not null,
         stop_reason text,
         created_wall_ms double precision not null,
         ended_wall_ms double precision,
         received_wall_ms double precision not null,
         firmware_version text not null,
         serial_number text not null,
         target_ua double precision,
         active_ms double precision not null,
         charge_uc double precision not null,
         peak_ua double precision not null,
         pain_pre integer,
         pain_post integer,
         fault_count integer not null,
         estop_count integer not null,
         body jsonb not null
       )`,
      `create index records_bench on records (bench_id, created_wall_ms)`,
      `create index records_participant on records (participant, created_wall_ms)`,
      `create index records_preset on records (preset_id, created_wall_ms)`,
      `create index records_outcome on records (outcome, created_wall_ms)`,
      `create index records_created on records (created_wall_ms, id)`,
      // A stored record is evidence of what was delivered: the database itself refuses to change it.
      `create function refuse_record_change() returns trigger language plpgsql as $$
       begin
         raise exception 'records are immutable: a correction is a new record, never an overwrite';
       end $$`,
      `create trigger records_immutable before update or delete on records
         for each row execute function refuse_record_change()`,
      `create table admins (
         id serial primary key,
         username text not null unique,
         password_hash text not null,
         created_wall_ms double precision not null
       )`,
      `create table admin_sessions (
         token_sha256 text primary key,
         admin_id integer not null references admins (id),
         expires_wall_ms double precision not null
       )`,
      `create table audit_log (
         id bigserial primary key,
         at_wall_ms double precision not null,
         admin_id integer references admins (id),
         action text not null,
         detail jsonb not null
       )`,
    ],
  },
  {
    version: 2,
    name: 'one-time enrolment links',
    statements: [
      `create table enrolments (
         code_sha256 text primary key,
         bench_name text not null,
         created_wall_ms double precision not null,
         expires_wall_ms double precision not null,
         used_wall_ms double precision,
         bench_id text references benches (id)
       )`,
    ],
  },
  {
    version: 3,
    name: 'programme assignments',
    statements: [
      // One programme per participant at a time; a new assignment replaces the old (the audit log keeps both).
      `create table programme_assignments (
         participant text primary key,
         programme_id text not null,
         start_day text not null check (start_day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
         time_zone text not null,
         night_sessions boolean not null,
         assigned_wall_ms double precision not null,
         assigned_by integer references admins (id)
       )`,
    ],
  },
];

/** Apply every migration not yet applied. Returns the versions applied now. */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.query(`create table if not exists schema_migrations (version integer primary key, name text not null, applied_wall_ms double precision not null)`);
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(7271001)`);
      const rows = await tx.query(`select 1 from schema_migrations where version = $1`, [migration.version]);
      if (rows.length > 0) return false;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query(`insert into schema_migrations (version, name, applied_wall_ms) values ($1, $2, $3)`, [migration.version, migration.name, Date.now()]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
