/**
 * Filters of the admin session list and exports, read from the query string and checked: each is a
 * short string, an outcome from the known list, or a date. They reach SQL only as bound parameters.
 */
import * as v from 'valibot';

const OUTCOMES = ['completed', 'stopped', 'estopped', 'fault', 'connection-lost', 'interrupted'] as const;
const text = v.pipe(v.string(), v.minLength(1), v.maxLength(100, 'expected at most 100 characters'));
/** An ISO 8601 date or date-time, as ms since the epoch. */
const date = v.pipe(
  v.string(),
  v.regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/, 'expected an ISO 8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z'),
  v.transform((s) => Date.parse(s)),
  v.number('expected a real calendar date'),
  v.finite('expected a real calendar date'),
);
const count = (max: number) => v.pipe(v.string(), v.regex(/^\d{1,7}$/, 'expected a whole number'), v.transform(Number), v.maxValue(max, `expected at most ${max}`));

export const SessionFilterSchema = v.object({
  bench: v.optional(text),
  participant: v.optional(text),
  preset: v.optional(text),
  outcome: v.optional(v.picklist(OUTCOMES, `expected one of ${OUTCOMES.join(', ')}`)),
  from: v.optional(date),
  to: v.optional(date),
  limit: v.optional(count(10_000), '100'),
  offset: v.optional(count(10_000_000), '0'),
});

export type SessionFilter = v.InferOutput<typeof SessionFilterSchema>;

/** The WHERE clause shared by list, count and export; its values are $1…$6 in this order. */
export const FILTER_WHERE = `($1::text is null or bench_id = $1)
  and ($2::text is null or participant = $2)
  and ($3::text is null or preset_id = $3)
  and ($4::text is null or outcome = $4)
  and ($5::float8 is null or created_wall_ms >= $5)
  and ($6::float8 is null or created_wall_ms < $6)`;

export function filterParams(f: SessionFilter): [string | null, string | null, string | null, string | null, number | null, number | null] {
  return [f.bench ?? null, f.participant ?? null, f.preset ?? null, f.outcome ?? null, f.from ?? null, f.to ?? null];
}
