/**
 * The content security policy the production app runs under. Everything the app loads comes from its own
 * origin: its scripts, styles, the simulated board's worker, the manifest and the icon. Nothing inline
 * runs, so a script injected into the page cannot run, and `connect-src` lets the page talk only to its
 * own origin and to the lab servers this install was started with: the bench token in the browser cannot
 * be sent anywhere else.
 */

/** A lab server origin as CSP wants it (scheme://host[:port], port may be `*`). Throws a RangeError otherwise. */
export function labServerSource(value: string): string {
  const m = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d{1,5}|\*))?\/?$/i.exec(value.trim());
  if (!m) throw new RangeError(`expected a lab server origin such as https://lab.example.org or http://127.0.0.1:8787, got "${value}"`);
  const [, scheme, host, port] = m;
  if (port !== undefined && port !== '*' && Number(port) > 65_535) throw new RangeError(`port out of range in "${value}"`);
  return `${scheme!.toLowerCase()}://${host!.toLowerCase()}${port === undefined ? '' : `:${port}`}`;
}

export interface AppPolicyOptions {
  /** Lab server origins the app may post records to (from `--lab-server`). */
  labServers?: readonly string[];
}

export function appContentSecurityPolicy(options: AppPolicyOptions = {}): string {
  const labs = (options.labServers ?? []).map(labServerSource);
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'"]],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...labs]],
    ['worker-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** Headers on every response of the app server. */
export function appSecurityHeaders(options: AppPolicyOptions = {}): Record<string, string> {
  return {
    'Content-Security-Policy': appContentSecurityPolicy(options),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // Only this page may ask for serial ports and USB devices; nothing else the browser offers is needed.
    'Permissions-Policy': 'serial=(self), usb=(self), camera=(), microphone=(), geolocation=()',
  };
}
