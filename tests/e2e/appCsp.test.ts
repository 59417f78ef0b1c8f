/**
 * The production app as `stimbench app` serves it, under its content security policy: every screen, with
 * and without the simulated board connected, runs with no policy violation; a script injected into the
 * page does not run; and the page can reach only its own origin and the configured lab server (so a bench
 * token in the browser cannot be sent anywhere else).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startAppServer, type StartedAppServer } from '../../src/appserver/serveApp.ts';
import { SCREENS } from '../../src/ui/screens.ts';
import { connectSimulated } from './app.ts';
import { launch } from './browser.ts';

/** An origin allowed as the lab server (nothing listens there: only the policy is under test). */
const LAB = 'http://127.0.0.1:9';
let server: StartedAppServer;
let browser: Browser;

beforeAll(async () => {
  // dist/ is the production build the e2e global setup has just made.
  server = await startAppServer({ dir: 'dist', port: 0, host: '127.0.0.1', labServers: [LAB] });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Violation {
  directive: string;
  blocked: string;
}

async function openPage(): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.addInitScript(() => {
    const seen: { directive: string; blocked: string }[] = [];
    (globalThis as unknown as { __csp: typeof seen }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
  });
  await page.goto(`${server.url}#/connect`);
  await page.getByTestId('stop-button').waitFor();
  return page;
}

const violations = (page: Page) => page.evaluate(() => (globalThis as unknown as { __csp: Violation[] }).__csp);

async function visitEveryScreen(page: Page): Promise<void> {
  for (const s of SCREENS) {
    await page.getByTestId(`nav-${s.id}`).click();
    await page.waitForFunction((id) => location.hash === `#/${id}`, s.id);
    await page.locator('main h2').first().waitFor();
  }
}

describe('the production app under its content security policy', () => {
  test('the policy is sent with the page: self only, no inline script or style, the lab server in connect-src', async () => {
    const response = await fetch(server.url);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain(`connect-src 'self' ${LAB}`);
    expect(csp).toContain("worker-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('every screen, disconnected and then on the simulated board, runs with no violation', async () => {
    const page = await openPage();
    await visitEveryScreen(page);
    await connectSimulated(page);
    await visitEveryScreen(page);
    expect(await violations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);

  test('an injected inline script does not run, and is reported', async () => {
    const page = await openPage();
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = '(globalThis).__injected = true';
      document.body.append(s);
      return (globalThis as unknown as { __injected?: boolean }).__injected === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations(page)).toContainEqual(expect.objectContaining({ directive: 'script-src-elem' }));
    await page.context().close();
  });

  test('the page can reach the configured lab server but no other origin', async () => {
    const page = await openPage();
    const attempt = (url: string) => page.evaluate((u) => fetch(u, { method: 'POST', body: 'token' }).then(() => 'answered', () => 'failed'), url);
    expect(await attempt('http://127.0.0.1:1/steal')).toBe('failed');
    await expect.poll(() => violations(page)).toContainEqual({ directive: 'connect-src', blocked: 'http://127.0.0.1:1/steal' });
    // The lab server's origin is allowed: the request fails only because nothing listens there.
    await attempt(`${LAB}/api/records`);
    expect((await violations(page)).filter((v) => v.blocked.startsWith(LAB))).toEqual([]);
    await page.context().close();
  });

  test('`stimbench app` serves the build with the policy, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/stimbench.js', 'app', '--no-open', '--port', '0', '--dir', 'dist', '--lab-server', LAB], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stdout: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const m = /StimBench app: (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const response = await fetch(`${url}#/connect`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="app">');
    expect(response.headers.get('content-security-policy')).toContain(`connect-src 'self' ${LAB}`);
    const missing = await fetch(`${url}assets/no-such-file.js`);
    expect(missing.status).toBe(404);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 60_000);
});
