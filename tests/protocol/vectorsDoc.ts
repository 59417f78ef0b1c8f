/**
 * Renders the worked hex examples of PROTOCOL.md from messages.json, so the spec's bytes are the
 * vectors' bytes: vectors.test.ts checks the committed section, UPDATE_VECTORS=1 rewrites it.
 */
import { cobsDecode, type Message } from '../../firmware-protocol/src/index.ts';

export const DOC_BEGIN = '<!-- BEGIN GENERATED EXAMPLES (npm run test with UPDATE_VECTORS=1 rewrites this section) -->';
export const DOC_END = '<!-- END GENERATED EXAMPLES -->';

const hexBytes = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0'));

function wrap(label: string, bytes: string[], perLine = 16): string[] {
  if (bytes.length === 0) return [`${label}(none)`];
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) lines.push((i === 0 ? label : ' '.repeat(label.length)) + bytes.slice(i, i + perLine).join(' '));
  return lines;
}

export function renderExamples(vectors: { name: string; description: string; hex: string; message: Message }[]): string {
  const out: string[] = [DOC_BEGIN, ''];
  for (const v of vectors) {
    const wire = Uint8Array.from(v.hex.match(/../g) ?? [], (x) => parseInt(x, 16));
    const raw = cobsDecode(wire.subarray(0, -1));
    if (raw === null) throw new Error(`vector ${v.name} is not valid COBS`);
    const bytes = hexBytes(raw);
    out.push(`#### \`${v.name}\``, '', v.description, '', '```text');
    out.push(`message   ${JSON.stringify(v.message)}`);
    out.push(`header    ${bytes.slice(0, 4).join(' ')}      version ${raw[0]}, type 0x${bytes[1]}, seq ${raw[2]! | (raw[3]! << 8)}`);
    out.push(...wrap('body      ', bytes.slice(4, -4)));
    out.push(`crc32c    ${bytes.slice(-4).join(' ')}      (little-endian)`);
    out.push(...wrap('wire      ', hexBytes(wire)));
    out.push('```', '');
  }
  out.push(DOC_END);
  return out.join('\n');
}

/** The generated section of a PROTOCOL.md text, markers included, or null when the markers are missing. */
export function extractExamples(doc: string): string | null {
  const a = doc.indexOf(DOC_BEGIN);
  const b = doc.indexOf(DOC_END);
  return a < 0 || b < a ? null : doc.slice(a, b + DOC_END.length);
}
