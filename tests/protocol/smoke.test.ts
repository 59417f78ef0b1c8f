import { test } from 'vitest';
import { crc32c, encodeFrame, FrameDecoder, cobsEncode, cobsDecode, validateProgram } from '../../firmware-protocol/src/index.ts';
test('smoke', () => {
console.log(crc32c(new TextEncoder().encode('123456789')).toString(16));
const p = { channel: 0, mode: 'conventional', waveform: 'symmetric-biphasic', frequencyDeciHz: 1000, pulseWidthUs: 200, amplitudeUa: 20000, durationMs: 600000, rampUpMs: 5000, rampDownMs: 3000, burstPulses: 0, burstFrequencyDeciHz: 0, sweepHighDeciHz: 0, sweepPeriodMs: 0 } as const;
console.log(validateProgram({...p}));
const f = encodeFrame({ type: 'setProgram', seq: 7, program: {...p} });
console.log(Buffer.from(f).toString('hex'));
const d = new FrameDecoder();
console.log(JSON.stringify(d.push(f)), d.drops);
console.log(JSON.stringify(validateProgram({...p, frequencyDeciHz: 2000, amplitudeUa: 70000, rampUpMs: 10}, { electrodeAreaCm2: 4 }), null, 1));
console.log(cobsEncode(new Uint8Array([0x11,0x22,0x00,0x33])), cobsDecode(new Uint8Array([3,0x11,0x22,2,0x33])));
});
