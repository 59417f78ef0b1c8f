/**
 * Which software this is: the package version and the build it came from, fixed at build time (see
 * vite.config.ts), so a record and a screen can be traced to the exact software that produced them.
 */
declare const __STIMBENCH_VERSION__: string | undefined;
declare const __STIMBENCH_BUILD__: string | undefined;

export const APP_VERSION: string = typeof __STIMBENCH_VERSION__ === 'string' ? __STIMBENCH_VERSION__ : 'development';
export const APP_BUILD: string = typeof __STIMBENCH_BUILD__ === 'string' ? __STIMBENCH_BUILD__ : 'unbuilt';

/** Written into every session record the app makes. */
export const APP_SOFTWARE = { name: 'StimBench app', version: APP_VERSION, build: APP_BUILD } as const;
