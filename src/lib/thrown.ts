/**
 * What every layer does with a caught value of unknown type. Web Serial polyfills throw plain strings and
 * DOMException-like objects, so neither helper assumes an Error.
 */

/** "Name: message" for logs, error details and reasons (DOMExceptions, Errors, objects with a message, strings). */
export function describeError(error: unknown): string {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const e = error as { name?: unknown; message?: unknown };
    return `${String(e.name ?? 'Error')}: ${String(e.message ?? '')}`;
  }
  return String(error);
}

/** The caught value as an Error, so it can reject a promise or be kept as a failure. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
