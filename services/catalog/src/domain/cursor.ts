import { badInput } from '@mentoring/subgraph-kit';

/** The position of an offering in the stable listing order (created_at, id). */
export interface OfferingCursor {
  createdAt: Date;
  id: string;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Opaque to clients: base64url of the sort key. */
export function encodeCursor({ createdAt, id }: OfferingCursor): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): OfferingCursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [at, id] = value as unknown[];
      const createdAt = typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
      if (typeof id === 'string' && id !== '' && !Number.isNaN(createdAt.getTime())) return { createdAt, id };
    }
  } catch {
    // fall through to the refusal below
  }
  throw badInput('`after` is not a cursor this API handed out.', 'after');
}

/**
 * How many items a page holds: `first` defaults to 20; above 100 (or below
 * 0) the request is refused rather than silently shortened.
 */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE)
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}.`, 'first');
  return first;
}
