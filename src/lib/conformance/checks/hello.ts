/**
 * PROTOCOL.md § 6: before HELLO only HELLO and ESTOP are served (everything else NACK helloRequired);
 * HELLO with no common version is NACKed unsupportedVersion naming the version; HELLO 1…3 picks 1.
 */
import { describeMessage } from '../BoardLink.ts';
import type { CheckContext } from '../context.ts';
import { Findings, type Check } from './Check.ts';

export const helloCheck: Check = {
  id: 'hello',
  title: 'Before HELLO only HELLO and ESTOP are served; HELLO settles on protocol version 1',
  async run(ctx: CheckContext) {
    const f = new Findings();
    const { link } = ctx;
    const first = await link.request({ type: 'getStatus' });
    let beforeHello = 'the board had already had a HELLO (the "before HELLO" rules could not be observed)';
    const fresh = first.type === 'nack' || (first.type === 'status' && !first.helloDone);
    if (fresh) {
      f.expect(first.type === 'nack' && first.code === 'helloRequired', `GET_STATUS before HELLO answered ${describeMessage(first)} (expected NACK helloRequired)`);
      const hb = await link.request({ type: 'heartbeat' });
      f.expect(hb.type === 'nack' && hb.code === 'helloRequired', `HEARTBEAT before HELLO answered ${describeMessage(hb)} (expected NACK helloRequired)`);
      beforeHello = 'GET_STATUS and HEARTBEAT before HELLO were refused helloRequired';
    }
    const tooNew = await link.request({ type: 'hello', minVersion: 2, maxVersion: 3 });
    f.expect(
      tooNew.type === 'nack' && tooNew.code === 'unsupportedVersion' && tooNew.field === 'version' && tooNew.value === 2 && tooNew.bound === 1,
      `HELLO for versions 2–3 answered ${describeMessage(tooNew)} (expected NACK unsupportedVersion, field version, value 2, bound 1)`,
    );
    const ok = await link.request({ type: 'hello', minVersion: 1, maxVersion: 3 });
    f.expect(ok.type === 'info' && ok.protocolVersion === 1, `HELLO for versions 1–3 answered ${describeMessage(ok)}${ok.type === 'info' ? ` with version ${ok.protocolVersion}` : ''} (expected INFO, version 1)`);
    return f.verdict(ok.type === 'info' ? `version ${ok.protocolVersion}` : 'no INFO', `${beforeHello}; versions 2–3 refused, 1–3 settled on 1`);
  },
};
