/** A PostgreSQL server, reached through the `postgres` client (a pool; parameters sent separately). */
import postgres from 'postgres';
import type { Database, Queryable, SqlParam } from './Database.ts';

export async function openPostgresDatabase(url: string): Promise<Database> {
  const sql = postgres(url, {
    max: 10,
    onnotice: () => {},
  });
  await sql`select 1`; // fail at start, not at the first request, when the server cannot be reached
  const wrap = (q: postgres.Sql | postgres.TransactionSql): Queryable => ({
    async query<Row extends object>(text: string, params: readonly SqlParam[] = []) {
      // `unsafe` only means "SQL text not from a tagged template": the text is a constant from the code
      // and the values still travel as bound parameters of an extended-protocol query.
      const rows = await q.unsafe(text, [...params] as postgres.ParameterOrJSON<never>[]);
      return rows as unknown as Row[];
    },
  });
  return {
    kind: 'postgres',
    ...wrap(sql),
    transaction: async (work) => (await sql.begin((tx) => work(wrap(tx)))) as Awaited<ReturnType<typeof work>>,
    close: () => sql.end({ timeout: 5 }),
  };
}
