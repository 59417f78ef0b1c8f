/** The static bundle: every file of the build at the zip's root (source maps left out); a folder that is not a build is refused. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, test } from 'vitest';
import { zipDirectory } from '../../src/appserver/zipBuild.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('zipDirectory', () => {
  test('keeps the tree and the bytes, leaves source maps out', () => {
    dir = mkdtempSync(join(tmpdir(), 'zipbuild-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<div id="app"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-abc.js.map'), '{}');
    const files = unzipSync(zipDirectory(dir));
    expect(Object.keys(files).sort()).toEqual(['assets/index-abc.js', 'index.html']);
    expect(strFromU8(files['index.html']!)).toBe('<div id="app"></div>');
  });

  test('a folder without index.html is not an app build', () => {
    dir = mkdtempSync(join(tmpdir(), 'zipbuild-'));
    writeFileSync(join(dir, 'readme.txt'), 'x');
    expect(() => zipDirectory(dir)).toThrow(/no index.html/);
  });
});
