/**
 * A lab server in a child process, for the kill-and-restart tests. argv: <dataDir> <port> <mode> [benchOrigin]
 * (benchOrigin: the app's origin, allowed by CORS, for a test that syncs from the app in a browser).
 * mode `kill-after-commit`: the first record's storing statement commits, then the process SIGKILLs itself
 * before any reply is written (the bench sees the connection drop; the record IS stored).
 * mode `kill-before-commit`: SIGKILL before the first record's storing statement commits (nothing is stored).
 * mode `serve`: an ordinary server.
 * On start it creates the administrator and a bench "b1" if missing and prints one JSON line
 * `{ "url", "benchToken" }` (benchToken only when the bench was created now).
 */
import { ensureAdmin } from '../../src/server/admin/admins.ts';
import { issueBench } from '../../src/server/admin/benches.ts';
import type { Database } from '../../src/server/db/Database.ts';
import { startLabServer } from '../../src/server/startLabServer.ts';

const [dataDir, portText, mode, benchOrigin] = process.argv.slice(2);
if (!dataDir || !portText || !mode) throw new Error('usage: labChild.ts <dataDir> <port> <kill-after-commit|kill-before-commit|serve> [benchOrigin]');

const server = await startLabServer({ port: Number(portText), host: '127.0.0.1', dataDir, benchOrigins: benchOrigin ? [benchOrigin] : [], buildDashboard: false, log: () => {} });
const db = server.db;
await ensureAdmin(db, 'admin', 'restart-test-password', Date.now());
const bench = (await db.query(`select id from benches where name = 'b1'`)).length === 0 ? await issueBench(db, 'b1', Date.now()) : null;

if (mode !== 'serve') {
  // The first record's storing statement (ingestRecord.ts: one statement that inserts into records) dies
  // at the chosen moment: it is run in a transaction here so the kill can land just before its commit.
  const realQuery = db.query.bind(db);
  const realTransaction = db.transaction.bind(db);
  (db as { query: Database['query'] }).query = async <Row extends object>(sql: string, params?: Parameters<Database['query']>[1]) => {
    if (!sql.includes('insert into records')) return realQuery<Row>(sql, params);
    if (mode === 'kill-before-commit') {
      return realTransaction(async (tx) => {
        await tx.query<Row>(sql, params);
        process.kill(process.pid, 'SIGKILL');
        return new Promise<never>(() => {});
      });
    }
    const rows = await realQuery<Row>(sql, params);
    process.kill(process.pid, 'SIGKILL');
    return rows;
  };
}
process.stdout.write(`${JSON.stringify({ url: server.url, benchToken: bench?.token ?? null })}\n`);
