/** `stimbench lab`: run the lab server that benches sync their finished records to. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { startLabServer } from '../../server/startLabServer.ts';

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 0 || n > 65_535) throw new InvalidArgumentError('expected a port number 0–65535 (0 = any free port)');
  return n;
}

function origin(value: string, previous: string[]): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`expected an origin such as https://bench.lab.example, got "${value}"`);
  }
  if (url.origin !== value.replace(/\/$/, '')) throw new InvalidArgumentError(`expected an origin (scheme, host and port only), got "${value}"`);
  return [...previous, url.origin];
}

export function labCommand(): Command {
  return new Command('lab')
    .description('Run the StimBench lab server: benches post their finished records here; administrators list and export them.')
    .addOption(new Option('--port <port>', 'port to listen on').default(8787).argParser(port))
    .addOption(new Option('--host <host>', 'address to listen on (keep 127.0.0.1 unless a TLS proxy sits in front)').default('127.0.0.1'))
    .addOption(new Option('--data <dir>', 'directory of the embedded database').default('stimbench-lab-data'))
    .addOption(new Option('--database-url <url>', 'use a PostgreSQL server instead of the embedded database (postgres://user:pass@host:5432/db)').env('STIMBENCH_DATABASE_URL'))
    .addOption(new Option('--bench-origin <origin...>', 'browser origin of the benches\' app, allowed by CORS (repeatable)').argParser(origin).default([]))
    .addOption(new Option('--admin-user <name>', 'first run: create this administrator, password from STIMBENCH_ADMIN_PASSWORD').env('STIMBENCH_ADMIN_USER'))
    .addHelpText(
      'after',
      `
Examples:
  First run, creating the administrator (the password is read from the environment, never the command line):
    STIMBENCH_ADMIN_PASSWORD='a long passphrase' npx stimbench lab --admin-user admin

  Allow the benches' app served from two origins, keep the data elsewhere:
    npx stimbench lab --data /srv/stimbench --bench-origin https://bench1.lab.example --bench-origin http://localhost:5173

  Use an existing PostgreSQL server:
    npx stimbench lab --database-url postgres://stimbench:secret@db.lab.example:5432/stimbench
`,
    )
    .action(async (opts: { port: number; host: string; data: string; databaseUrl?: string; benchOrigin: string[]; adminUser?: string }, command: Command) => {
      const password = process.env.STIMBENCH_ADMIN_PASSWORD;
      if (opts.adminUser && !password) command.error('stimbench lab: --admin-user needs the password in the STIMBENCH_ADMIN_PASSWORD environment variable');
      const server = await startLabServer({
        port: opts.port,
        host: opts.host,
        dataDir: opts.data,
        databaseUrl: opts.databaseUrl ?? null,
        benchOrigins: opts.benchOrigin,
        admin: opts.adminUser && password ? { username: opts.adminUser, password } : null,
      });
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
