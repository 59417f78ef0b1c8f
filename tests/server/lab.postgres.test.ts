/**
 * The lab server suite on a real PostgreSQL server started for this file (postgresServer.ts). Under
 * CI=true a missing PostgreSQL fails the run; elsewhere the suite is skipped with how to install it.
 */
import { expect, test } from 'vitest';
import { openPostgresDatabase } from '../../src/server/db/postgresDatabase.ts';
import { defineLabSuite } from './labSuite.ts';
import { findPostgresBin, POSTGRES_MISSING, startTestPostgres, type TestPostgres } from './postgresServer.ts';

const bin = findPostgresBin();
if (bin === null && process.env.CI === 'true') {
  test('PostgreSQL is installed (required under CI=true)', () => {
    expect.fail(POSTGRES_MISSING);
  });
}
if (bin === null && process.env.CI !== 'true') console.warn(POSTGRES_MISSING);

let server: TestPostgres | null = null;
defineLabSuite(
  'PostgreSQL',
  bin === null
    ? null
    : {
        open: async () => {
          server = await startTestPostgres(bin);
          return openPostgresDatabase(server.url);
        },
        cleanup: () => server?.stop(),
      },
  POSTGRES_MISSING,
);
