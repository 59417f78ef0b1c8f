import { expect, test } from 'vitest';
import { crc32c } from '../../firmware-protocol/src/index.ts';

// Runs in real Chromium: the protocol layer must work with the browser's own DataView/TextEncoder.
test('CRC-32C check value in Chromium', () => {
  expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  expect(typeof navigator.serial).toBe('object');
});
