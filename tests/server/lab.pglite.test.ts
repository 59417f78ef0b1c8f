/** The lab server suite on the embedded database (PGlite, in memory). */
import { openPgliteDatabase } from '../../src/server/db/pgliteDatabase.ts';
import { defineLabSuite } from './labSuite.ts';

defineLabSuite('PGlite', { open: () => openPgliteDatabase(null) });
