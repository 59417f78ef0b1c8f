/**
 * The dashboard's client of the admin API (same origin): the session token lives in sessionStorage
 * (gone when the tab closes), every call sends it, and a 401 returns the page to the login form.
 */
import type { BenchRow } from '../admin/benches.ts';
import type { ParticipantSummary, SessionRow } from '../admin/sessionQueries.ts';
import type { AuditEntry } from '../admin/auditLog.ts';
import type { AdherenceReport, AdherenceWeek } from '../programmes/adherenceReport.ts';
import type { Assignment, ProgrammeChoice } from '../programmes/assignments.ts';

export type { AdherenceReport, AdherenceWeek, Assignment, AuditEntry, BenchRow, ParticipantSummary, ProgrammeChoice, SessionRow };

/** What the administrator sets when assigning a programme. */
export interface AssignmentInput {
  programmeId: string;
  startDay: string;
  timeZone: string;
  nightSessions: boolean;
}

const TOKEN_KEY = 'stimbench-lab-admin-token';

/** A refusal from the server, with its plain-language message and its code for details. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(
    status: number,
    code: string,
    message: string,
  ) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onLoggedOut: () => void = () => {};

export const auth = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value: string | null) {
    if (value === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, value);
  },
  whenLoggedOut(callback: () => void): void {
    onLoggedOut = callback;
  },
};

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (auth.token) headers.set('Authorization', `Bearer ${auth.token}`);
  if (init.body) headers.set('Content-Type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'OFFLINE', 'the lab server did not answer: is it still running?');
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
  if (response.status === 401 && path !== '/api/admin/login') {
    auth.token = null;
    onLoggedOut();
  }
  throw new ApiError(response.status, body.error ?? `HTTP_${response.status}`, body.message ?? `the server answered ${response.status}`);
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  return (await (await request(path, init)).json()) as T;
}

/** Session filters as the page holds them: empty strings mean "any". Dates are YYYY-MM-DD (local form input). */
export interface Filters {
  bench: string;
  participant: string;
  preset: string;
  outcome: string;
  fromDay: string;
  /** Inclusive: the API's `to` is exclusive, so the day after is sent. */
  toDay: string;
}

export const NO_FILTERS: Filters = { bench: '', participant: '', preset: '', outcome: '', fromDay: '', toDay: '' };

export function filterQuery(f: Filters, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (f.bench) q.set('bench', f.bench);
  if (f.participant.trim()) q.set('participant', f.participant.trim());
  if (f.preset.trim()) q.set('preset', f.preset.trim());
  if (f.outcome) q.set('outcome', f.outcome);
  if (f.fromDay) q.set('from', `${f.fromDay}T00:00:00Z`);
  if (f.toDay) {
    const next = new Date(`${f.toDay}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    q.set('to', next.toISOString());
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
}

export const api = {
  async login(username: string, password: string): Promise<void> {
    const { token } = await json<{ token: string }>('/api/admin/login', { method: 'POST', body: JSON.stringify({ username, password }) });
    auth.token = token;
  },
  async logout(): Promise<void> {
    try {
      await request('/api/admin/logout', { method: 'POST' });
    } finally {
      auth.token = null;
    }
  },
  sessions: (f: Filters, limit: number) => json<{ total: number; sessions: SessionRow[] }>(`/api/admin/sessions${filterQuery(f, { limit: String(limit) })}`),
  summary: (code: string) => json<ParticipantSummary>(`/api/admin/participants/${encodeURIComponent(code)}/summary`),
  benches: () => json<{ benches: BenchRow[] }>('/api/admin/benches'),
  issueBench: (name: string) => json<{ id: string; name: string; token: string }>('/api/admin/benches', { method: 'POST', body: JSON.stringify({ name }) }),
  revokeBench: (id: string) => json<{ id: string }>(`/api/admin/benches/${encodeURIComponent(id)}/revoke`, { method: 'POST' }),
  programmes: () => json<{ programmes: ProgrammeChoice[] }>('/api/admin/programmes'),
  assignment: (code: string) => json<{ assignment: Assignment | null }>(`/api/admin/participants/${encodeURIComponent(code)}/assignment`),
  assign: (code: string, input: AssignmentInput) =>
    json<{ assignment: Assignment }>(`/api/admin/participants/${encodeURIComponent(code)}/assignment`, { method: 'PUT', body: JSON.stringify(input) }),
  unassign: (code: string) => json<{ removed: Assignment }>(`/api/admin/participants/${encodeURIComponent(code)}/assignment`, { method: 'DELETE' }),
  adherence: (code: string) => json<AdherenceReport>(`/api/admin/participants/${encodeURIComponent(code)}/adherence`),
  audit: (limit: number, before: string | null) =>
    json<{ entries: AuditEntry[]; nextBefore: string | null }>(`/api/admin/audit?limit=${limit}${before === null ? '' : `&before=${encodeURIComponent(before)}`}`),
  /** Fetch an export with the session token and hand it to the browser as a download. */
  async download(path: string, filename: string): Promise<void> {
    const blob = await (await request(path)).blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
};
