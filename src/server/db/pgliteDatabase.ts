/** The embedded database: PostgreSQL compiled to WebAssembly (PGlite), data kept in a directory. */
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable, SqlParam } from './Database.ts';

/** `dataDir` null keeps the database in memory (tests). */
export async function openPgliteDatabase(dataDir: string | null): Promise<Database> {
  const pg = dataDir === null ? await PGlite.create() : await PGlite.create(dataDir);
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<Row extends object>(sql: string, params: readonly SqlParam[] = []) {
      const result = await q.query<Row>(sql, [...params]);
      return result.rows;
    },
  });
  // PGlite runs one statement at a time; its transaction() holds the connection for the whole callback.
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (work) => pg.transaction((tx) => work(wrap(tx))),
    close: () => pg.close(),
  };
}
