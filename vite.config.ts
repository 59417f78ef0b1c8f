/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Debian's Chromium; nothing here downloads a browser (see README). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Installable and offline: a manifest and a Workbox service worker that precaches the whole build, so the
 * app starts with no network after its first load. 'prompt': a new version waits until the user applies
 * it (src/ui/state/appUpdate.svelte.ts), never while output may be on. Registered from src/main.ts with
 * no inline script, so the app's content security policy holds.
 */
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  includeAssets: ['icon.svg'],
  manifest: {
    name: 'StimBench',
    short_name: 'StimBench',
    description: 'A controller for TENS-style stimulator boards (research and hobby use; not a medical device)',
    start_url: './',
    scope: './',
    display: 'standalone',
    background_color: '#f4f6f8',
    theme_color: '#1f4e8c',
    icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
    navigateFallback: 'index.html',
    // The simulated board's worker and the lazily loaded screens are part of the precache: offline, every
    // screen and the simulated board still work.
    cleanupOutdatedCaches: true,
  },
});

/** The build id: STIMBENCH_BUILD_ID when set (a release), else the commit and the UTC minute of the build. */
function buildId(): string {
  if (process.env.STIMBENCH_BUILD_ID) return process.env.STIMBENCH_BUILD_ID;
  let commit = 'nogit';
  try {
    commit = execFileSync('git', ['rev-parse', '--short=10', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    // not a git checkout (an installed package): the time alone identifies the build
  }
  return `${commit}-${new Date().toISOString().slice(0, 16).replace(/[-:]/g, '')}Z`;
}
const version = (JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }).version;

export default defineConfig({
  plugins: [svelte(), pwa],
  define: { __STIMBENCH_VERSION__: JSON.stringify(version), __STIMBENCH_BUILD__: JSON.stringify(buildId()) },
  build: { target: 'es2022', sourcemap: true },
  worker: { format: 'es' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/dom/**', 'tests/browser/**', 'tests/e2e/**'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        plugins: [svelteTesting()],
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['tests/dom/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
      {
        // Benchmarks: ordinary test files that measure and print figures (ratios against a baseline run
        // in the same process). Never part of `npm test`: timing on a shared machine is not a pass/fail.
        extends: true,
        test: {
          name: 'bench',
          environment: 'node',
          include: ['bench/**/*.bench.ts'],
          testTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          globalSetup: ['tests/e2e/globalSetup.ts'],
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
