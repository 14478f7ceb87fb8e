import { badInput } from '@mentoring/subgraph-kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our own ids are UUIDs; anything else cannot name one of our rows (treat it as not found). */
export const isUuid = (value: string) => UUID.test(value);

/** An id of another service (organization, community, user, beneficiary): opaque, 1–100 characters. */
export function foreignId(value: string, field: string): string {
  const id = value.trim();
  if (id.length === 0 || id.length > 100) throw badInput(`${field} must be an id.`, field);
  return id;
}

export function positiveCents(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw badInput(`${field} must be a positive number of cents.`, field);
  return value;
}

export function name(value: string, field = 'name', max = 200): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > max)
    throw badInput(`${field} must be between 1 and ${max} characters.`, field);
  return trimmed;
}

export function idempotencyKey(value: string): string {
  if (value.length === 0 || value.length > 200 || value.trim() !== value)
    throw badInput('idempotencyKey must be 1–200 characters without surrounding spaces.', 'idempotencyKey');
  return value;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists. */
export function calendarDate(value: string, field: string): string {
  const match = DATE.exec(value);
  const parsed = match ? new Date(`${value}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value)
    throw badInput(`${field} must be a date (YYYY-MM-DD).`, field);
  return value;
}

/** Today's date in UTC, `YYYY-MM-DD` (dates compare as strings). */
export const today = (now = new Date()) => now.toISOString().slice(0, 10);

/** A list of ids or slugs: trimmed, without duplicates, at most `max`. */
export function idList(values: readonly string[] | null | undefined, field: string, max = 200): string[] {
  const list = [...new Set((values ?? []).map((v) => v.trim()))];
  if (list.length > max) throw badInput(`${field} can name at most ${max} entries.`, field);
  if (list.some((v) => v.length === 0 || v.length > 100))
    throw badInput(`${field} has an empty or too long entry.`, field);
  return list;
}
