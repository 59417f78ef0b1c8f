/**
 * The direction of imports between folders: apps (ui, cli, server) → appserver → adapters (storage, storage-node) →
 * sync → session → presets → device, conformance → transport → hardware-mock → shared (src/lib/*.ts) →
 * firmware-protocol. A folder imports only folders below its own layer, never one beside it (except the
 * exceptions listed with their reason), so no cycle between folders can form; a second test looks for
 * cycles directly, so an exception added later cannot hide one.
 *
 * Imports are read with the TypeScript compiler's own pre-processor (`ts.preProcessFile`), from .ts
 * files and from the <script> blocks of .svelte files. dependency-cruiser would do the same, but its
 * current release needs Node 22, and this project supports Node 20.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(new URL('../../', import.meta.url).pathname);

/** Top to bottom. A unit may import units of lower layers only. */
const LAYERS: readonly (readonly string[])[] = [
  ['ui', 'cli', 'server'],
  // The production app's web server (`stimbench app`): started by the CLI, serves the built ui as files.
  ['appserver'],
  // Adapters: they implement the ports the layers below own (session/recordPorts.ts, sync/syncPorts.ts,
  // presets/cataloguePort.ts, session/enrolmentPort.ts) over IndexedDB or files.
  ['lib/storage', 'lib/storage-node'],
  ['lib/sync'],
  ['lib/session'],
  ['lib/presets'],
  ['lib/device', 'lib/conformance'],
  ['lib/transport'],
  ['hardware-mock'],
  // Files directly in src/lib (clock.ts, thrown.ts): used by every layer, importing none.
  ['lib/shared'],
  ['firmware-protocol'],
];

/** Imports between units of one layer, or upwards, that are allowed, each with its reason. */
const EXCEPTIONS: Readonly<Record<string, string>> = {
  'cli -> server': '`stimbench lab` starts the lab server',
  'server -> ui': "the lab dashboard (src/server/dashboard) reuses the app's record formatter and stylesheet",
};

function unitOf(path: string): string | null {
  const p = relative(ROOT, path).split('/');
  if (p[0] === 'firmware-protocol') return p[1] === 'src' || p[1] === 'vectors' ? p[0] : null;
  if (p[0] === 'hardware-mock') return p[1] === 'src' ? p[0] : null;
  if (p[0] !== 'src') return null;
  if (p[1] === 'lib') return p.length === 3 ? 'lib/shared' : `lib/${p[2]}`;
  if (p.length === 2) return 'ui'; // src/main.ts and the app's other root files
  return p[1] ?? null;
}

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.(ts|svelte)$/.test(entry.name)) yield path;
  }
}

interface Edge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const top of ['src', 'firmware-protocol/src', 'hardware-mock/src']) {
    for (const file of sources(join(ROOT, top))) {
      let text = readFileSync(file, 'utf8');
      if (file.endsWith('.svelte')) text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n');
      const from = unitOf(file);
      for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const to = unitOf(resolve(dirname(file), fileName));
        if (from === null || to === null || from === to) {
          if (to === null) edges.push({ from: from ?? '?', to: '(outside the source folders)', file: relative(ROOT, file), specifier: fileName });
          continue;
        }
        edges.push({ from, to, file: relative(ROOT, file), specifier: fileName });
      }
    }
  }
  return edges;
}

const layerOf = new Map(LAYERS.flatMap((units, i) => units.map((u) => [u, i] as const)));
const edges = importEdges();

describe('architecture: import direction between folders', () => {
  test('every folder that imports or is imported has a place in the layers', () => {
    const unplaced = edges.filter((e) => !layerOf.has(e.from) || !layerOf.has(e.to)).map((e) => `${e.file} imports ${e.specifier} (${e.from} -> ${e.to})`);
    expect(unplaced).toEqual([]);
  });

  test('no folder imports a folder of its own layer or one above it (listed exceptions aside)', () => {
    const against = edges
      .filter((e) => layerOf.has(e.from) && layerOf.has(e.to))
      .filter((e) => layerOf.get(e.to)! <= layerOf.get(e.from)! && !(`${e.from} -> ${e.to}` in EXCEPTIONS))
      .map((e) => `${e.file} imports ${e.specifier} (${e.from} -> ${e.to})`);
    expect(against).toEqual([]);
  });

  test('no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
      if (!graph.has(e.from)) graph.set(e.from, new Set());
      graph.get(e.from)!.add(e.to);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (unit: string) => {
      state.set(unit, 'open');
      path.push(unit);
      for (const next of graph.get(unit) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' -> '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(unit, 'done');
    };
    for (const unit of graph.keys()) if (!state.has(unit)) visit(unit);
    expect(cycles).toEqual([]);
  });

  test('the rules see the imports they judge (the layering is not vacuous)', () => {
    // The session engine's device contract and the UI's use of the session layer must both be read.
    expect(edges.some((e) => e.from === 'lib/session' && e.to === 'lib/device')).toBe(true);
    expect(edges.some((e) => e.from === 'ui' && e.to === 'lib/session')).toBe(true);
    expect(edges.some((e) => e.from === 'lib/storage' && e.to === 'lib/session')).toBe(true);
  });
});

describe('architecture: code that Node can run', () => {
  test('tsconfig.json allows only TypeScript a type stripper can erase (no enums, namespaces, parameter properties)', () => {
    const config = ts.parseConfigFileTextToJson('tsconfig.json', readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')).config as { compilerOptions: Record<string, unknown> };
    expect(config.compilerOptions.erasableSyntaxOnly).toBe(true);
  });
});
