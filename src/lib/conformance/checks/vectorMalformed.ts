/**
 * malformed.json, written to the board as given: the board acts on exactly the frames the vector says
 * decode (each request answered once, each board → host type NACKed badEnum), NACKs each CRC-valid
 * unusable frame (malformed body, unknown header version: PROTOCOL.md § 14), says nothing about the
 * rest, and answers the next request (it resynchronised). Where the board's drop counters are visible
 * (options.dropCounters) they must move by exactly `expectDrops`.
 */
import { TYPE_CODES, type DropCounters } from '../../../../firmware-protocol/src/index.ts';
import { isReply } from '../BoardLink.ts';
import { resetBoard, type CheckContext } from '../context.ts';
import { MALFORMED_VECTORS, fromHex } from '../vectors.ts';
import { Findings, type Check } from './Check.ts';

/** How long a half-sent frame is watched for a (wrong) early answer, ms. */
const UNFINISHED_FRAME_WAIT_MS = 50;

const delta = (a: DropCounters, b: DropCounters) => Object.fromEntries(Object.entries(b).map(([k, n]) => [k, n - a[k as keyof DropCounters]]));
const same = (a: Record<string, number>, b: Record<string, number>) => Object.keys(b).every((k) => (a[k] ?? 0) === b[k]);

export const vectorMalformedCheck: Check = {
  id: 'vectors.malformed',
  title: 'Corrupt, cut-short and malformed frames from the golden vectors are dropped, counted, and cost nothing else',
  async run(ctx: CheckContext) {
    const f = new Findings();
    await resetBoard(ctx);
    const counters = ctx.options.dropCounters;
    let countedVectors = 0;
    for (const v of MALFORMED_VECTORS) {
      const before = counters ? await counters() : null;
      const mark = ctx.link.mark();
      for (const chunk of v.chunksHex) await ctx.link.write(fromHex(chunk), false);
      const endsClean = v.chunksHex.length === 0 || v.chunksHex[v.chunksHex.length - 1]!.endsWith('00');
      // A vector that ends mid-frame must get no answer yet: look for a while, then flush it with a 0x00
      // (which completes it, so what the board says after the flush is not the vector's).
      let unflushed: number | null = null;
      if (!endsClean) {
        await ctx.link.silence(UNFINISHED_FRAME_WAIT_MS);
        unflushed = ctx.link.mark();
      }
      await ctx.link.write(Uint8Array.of(0), false);
      // A marker request: replies come in order, so everything the board says about the vector arrives
      // before the marker's STATUS.
      const marker = await ctx.link.exchange({ type: 'getStatus' });
      if (!f.expect(marker.reply !== null, `${v.name}: the board did not answer the next request (it did not resynchronise)`)) continue;
      const replies = ctx.link.received
        .slice(mark, unflushed ?? undefined)
        .map((r) => r.message)
        .filter((m) => isReply(m) && m.replyTo !== marker.seq);
      const boardTypes = v.expectMessages.filter((m) => TYPE_CODES[m.type] >= 0x80).length;
      const expected = v.expectMessages.length + v.expectDrops.malformed + v.expectDrops.version;
      f.expect(replies.length === expected, `${v.name}: ${replies.length} replies (expected ${expected}: ${v.expectMessages.length - boardTypes} requests, ${boardTypes + v.expectDrops.malformed + v.expectDrops.version} NACKs)`);
      const protocolNacks = replies.filter((m) => m.type === 'nack' && ['badLength', 'badEnum', 'unsupportedVersion'].includes(m.code)).length;
      f.expect(protocolNacks >= boardTypes + v.expectDrops.malformed + v.expectDrops.version, `${v.name}: ${protocolNacks} NACKs badLength/badEnum/unsupportedVersion (expected ${boardTypes + v.expectDrops.malformed + v.expectDrops.version})`);
      if (before && counters && endsClean) {
        const after = await counters();
        const moved = delta(before, after);
        countedVectors++;
        f.expect(same(moved, v.expectDrops as unknown as Record<string, number>), `${v.name}: drop counters moved by ${JSON.stringify(moved)} (expected ${JSON.stringify(v.expectDrops)})`);
      }
    }
    await resetBoard(ctx);
    const counted = counters ? `, drop counters checked on ${countedVectors}` : ' (drop counters not visible over the wire: judged by replies and resync)';
    return f.verdict(`${MALFORMED_VECTORS.length} vectors${counted}`, 'each vector: the right frames answered, the rest dropped, the board answered the next request');
  },
};
