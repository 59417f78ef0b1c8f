/**
 * A lab server's one-time enrolment link (`https://lab.example/api/enrol#sbe_…`): the code rides in the
 * fragment, so it never reaches a proxy's logs. Exchanging it (POST to the link without its fragment)
 * gives this bench its token once; the records URL is the same server's `/api/records`.
 */
export interface EnrolmentLink {
  exchangeUrl: string;
  recordsUrl: string;
  code: string;
}

export interface Enrolled {
  serverUrl: string;
  token: string;
  benchName: string;
}

/** The link's parts, or null when the text is not an enrolment link (for example a plain server URL). */
export function parseEnrolmentLink(text: string): EnrolmentLink | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const code = url.hash.slice(1);
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.pathname.endsWith('/enrol') || !/^sbe_[A-Za-z0-9_-]{20,100}$/.test(code)) return null;
  const base = `${url.origin}${url.pathname.slice(0, -'/enrol'.length)}`;
  return { exchangeUrl: `${base}/enrol`, recordsUrl: `${base}/records`, code };
}

/** Exchange the link's code for a bench token; a refusal throws an Error whose message a person can act on. */
export async function exchangeEnrolmentLink(link: EnrolmentLink, fetchFn: typeof fetch = fetch): Promise<Enrolled> {
  let response: Response;
  try {
    response = await fetchFn(link.exchangeUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: link.code }) });
  } catch {
    throw new Error(`Could not reach the lab server at ${new URL(link.exchangeUrl).origin}: check the network and try again.`);
  }
  const body = (await response.json().catch(() => null)) as { token?: unknown; name?: unknown; message?: unknown; error?: unknown } | null;
  if (response.status === 201 && typeof body?.token === 'string' && typeof body.name === 'string') {
    return { serverUrl: link.recordsUrl, token: body.token, benchName: body.name };
  }
  const reason = typeof body?.message === 'string' ? body.message : `the lab server answered HTTP ${response.status}`;
  throw new Error(`Not enrolled: ${reason}${typeof body?.error === 'string' ? ` (${body.error})` : ''}`);
}
