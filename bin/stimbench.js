#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader (Node 20 cannot strip types itself).
import { register } from 'tsx/esm/api';

register();
const { runStimbench } = await import('../src/cli/stimbench.ts');
await runStimbench(process.argv);
