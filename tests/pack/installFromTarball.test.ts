/**
 * The release artefact: `npm pack` makes a tarball (its prepack step builds the app and the lab
 * dashboard into it) that installs into an empty directory and runs the three commands a lab uses —
 * `stimbench app` (the built app under its content security policy), `stimbench run` (a session on the
 * simulated board, recorded on disk), `stimbench lab` (the lab server on its embedded database) and
 * `stimbench bundle` (the static zip for any HTTPS host) —
 * with none of the project's sources, tests or development tools present.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let installed: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'stimbench-pack-'));
  execFileSync(NPM, ['pack', '--pack-destination', work], { stdio: 'pipe' });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack made no tarball in ${work}`);
  installed = join(work, 'bench-pc');
  execFileSync('mkdir', ['-p', installed]);
  writeFileSync(join(installed, 'package.json'), JSON.stringify({ name: 'bench-pc', private: true }));
  execFileSync(NPM, ['install', '--engine-strict', '--no-audit', '--no-fund', join(work, tarball)], { cwd: installed, stdio: 'pipe' });
}, 600_000);

afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

const bin = () => join(installed, 'node_modules', '.bin', 'stimbench');

/** Start a long-running command and resolve with the first http:// address it prints. */
function serve(args: string[]): Promise<string> {
  const child = spawn(bin(), args, { cwd: installed, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address printed by stimbench ${args.join(' ')}; output: ${out}`)), 60_000);
    const look = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/[^\s/]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('exit', (code) => reject(new Error(`stimbench ${args.join(' ')} exited ${code}: ${out}`)));
  });
}

describe('installing the packed release', () => {
  test('the package carries the built app and dashboard, and none of the tests or sources of the app UI', () => {
    const pkg = join(installed, 'node_modules', 'stimbench');
    const top = readdirSync(pkg);
    expect(top).toEqual(expect.arrayContaining(['bin', 'dist', 'dist-dashboard', 'src', 'CHANGELOG.md']));
    expect(top).not.toContain('tests');
    expect(readdirSync(join(pkg, 'src'))).not.toContain('ui');
    expect(readdirSync(join(pkg, 'dist'))).toEqual(expect.arrayContaining(['index.html', 'sw.js', 'manifest.webmanifest']));
  });

  test('`stimbench app` serves the built app under its content security policy', async () => {
    const url = await serve(['app', '--no-open', '--port', '0']);
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="app">');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  }, 120_000);

  test('`stimbench run` completes a preset on the simulated board and records it', () => {
    const out = execFileSync(bin(), ['run', '--simulated', '--virtual-time', '--preset', 'conventional-tens', '--electrode-area', '25', '--records', './records', '--json'], { cwd: installed, timeout: 300_000 }).toString();
    const outcome = out.trim().split('\n').map((l) => JSON.parse(l) as { event: string; outcome?: string; exitCode?: number }).find((e) => e.event === 'outcome');
    expect(outcome).toMatchObject({ outcome: 'completed', exitCode: 0 });
    expect(readdirSync(join(installed, 'records')).length).toBeGreaterThan(0);
  }, 300_000);

  test('`stimbench bundle` writes the built app as a zip of static files, index.html at its root', () => {
    execFileSync(bin(), ['bundle', '--out', 'app.zip'], { cwd: installed, timeout: 120_000 });
    const files = Object.keys(unzipSync(new Uint8Array(readFileSync(join(installed, 'app.zip')))));
    expect(files).toEqual(expect.arrayContaining(['index.html', 'sw.js', 'manifest.webmanifest', 'icon.svg']));
    expect(files.some((f) => f.startsWith('assets/') && f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);
  }, 120_000);

  test('`stimbench lab` starts on its embedded database and serves its dashboard', async () => {
    const url = await serve(['lab', '--port', '0', '--data', './lab-data']);
    expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ ok: true, database: 'pglite' });
    expect((await fetch(`${url}/dashboard/`)).status).toBe(200);
  }, 120_000);
});
