/** Every refusal is JSON `{ error: CODE, message: "what was expected, what was got" }`; never a stack. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export function refuse(c: Context, status: ContentfulStatusCode, error: string, message: string, headers: Record<string, string> = {}): Response {
  return c.json({ error, message }, status, headers);
}
