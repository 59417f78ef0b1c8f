/**
 * The golden-vector generator. The committed JSON (firmware-protocol/vectors/) is the source of truth;
 * this test proves the definitions still reproduce it byte for byte. With UPDATE_VECTORS=1 it rewrites the
 * JSON files and the worked-example section of PROTOCOL.md instead (review the diff before committing).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { PROTOCOL_VERSION } from '../../firmware-protocol/src/index.ts';
import { buildInvalidProgramVectors, buildMalformedVectors, buildMessageVectors } from './vectorDefinitions.ts';
import { extractExamples, renderExamples } from './vectorsDoc.ts';

const UPDATE = process.env.UPDATE_VECTORS === '1';
const dir = fileURLToPath(new URL('../../firmware-protocol/vectors/', import.meta.url));
const protocolMd = fileURLToPath(new URL('../../firmware-protocol/PROTOCOL.md', import.meta.url));

const files = () => ({
  'messages.json': { protocolVersion: PROTOCOL_VERSION, vectors: buildMessageVectors() },
  'malformed.json': { protocolVersion: PROTOCOL_VERSION, vectors: buildMalformedVectors() },
  'programs-invalid.json': { protocolVersion: PROTOCOL_VERSION, vectors: buildInvalidProgramVectors() },
});

test(UPDATE ? 'writes the golden vectors and the PROTOCOL.md examples' : 'the generator reproduces the committed golden vectors exactly', () => {
  const generated = files();
  for (const [name, content] of Object.entries(generated)) {
    const text = `${JSON.stringify(content, null, 2)}\n`;
    if (UPDATE) writeFileSync(dir + name, text);
    else expect(readFileSync(dir + name, 'utf8'), `${name} differs from what the generator produces; run with UPDATE_VECTORS=1 and review`).toBe(text);
  }
  const rendered = renderExamples(generated['messages.json'].vectors);
  const doc = existsSync(protocolMd) ? readFileSync(protocolMd, 'utf8') : '';
  const section = extractExamples(doc);
  if (UPDATE && section !== null) writeFileSync(protocolMd, doc.replace(section, rendered));
  else expect(section).toBe(rendered);
});
