/**
 * The one query interface the server uses, implemented by the embedded PGlite database and by a
 * PostgreSQL server connection. SQL text is always a constant in the code; every value from a request
 * travels as a numbered parameter ($1, $2, …), never spliced into the SQL. JSON goes in as text and is
 * cast in SQL (`$1::text::jsonb`), so both clients store the same document (a client that sees a jsonb
 * parameter would otherwise encode the string a second time).
 */
export type SqlParam = string | number | boolean | null;

export interface Queryable {
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  /** Run `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** 'pglite' or 'postgres', for logs and the health route. */
  readonly kind: 'pglite' | 'postgres';
}
