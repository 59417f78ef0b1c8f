/**
 * Vite build of the lab server's dashboard: a second entry beside the app, its own root
 * (src/server/dashboard) and output (dist-dashboard/ at the project root), served by the lab server
 * under /dashboard/ with a strict CSP. No source maps: the server serves only what the page needs.
 */
import { svelte, vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { DASHBOARD_OUT_DIR, DASHBOARD_ROOT } from '../static/dashboardPaths.ts';

export default defineConfig({
  root: DASHBOARD_ROOT,
  base: '/dashboard/',
  // The project's svelte.config.js sits at the project root, not this root: the same options, inline.
  plugins: [svelte({ configFile: false, preprocess: vitePreprocess(), compilerOptions: { runes: true } })],
  build: { target: 'es2022', outDir: DASHBOARD_OUT_DIR, emptyOutDir: true, sourcemap: false, assetsInlineLimit: 0 },
  logLevel: 'warn',
});
