import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The error codes that are part of the public API (`extensions.code`). */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'INSUFFICIENT_FUNDS',
  'NOT_ELIGIBLE',
  'SOLD_OUT',
  'ALREADY_FINAL',
  'IDEMPOTENCY_CONFLICT',
  'RATE_LIMITED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Codes Apollo Server itself produces for malformed requests: safe to show. */
const REQUEST_CODES = [
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
];
const PUBLIC_CODES = new Set<string>([...ERROR_CODES, ...REQUEST_CODES]);

/**
 * An error the user can act on: its message and code reach the client.
 * Domain code throws these; anything else is masked.
 */
export class UserError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message, { extensions: { code, ...details } });
  }
}

export const unauthenticated = (message = 'You must be signed in.') =>
  new UserError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this.') => new UserError('FORBIDDEN', message);
export const badInput = (message: string, field?: string) =>
  new UserError('BAD_USER_INPUT', message, field ? { field } : undefined);
export const notFound = (what: string) => new UserError('NOT_FOUND', `${what} not found.`);

export function isPublicCode(code: unknown): code is string {
  return typeof code === 'string' && PUBLIC_CODES.has(code);
}

/**
 * Apollo `formatError`: public errors keep message and code, everything else
 * becomes "Internal server error". Stack traces and internal details never
 * leave the process; the original is logged with the request id.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: (error: unknown, formatted: GraphQLFormattedError) => void,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const code = formatted.extensions?.code;
  if (isPublicCode(code)) {
    const { stacktrace: _s, exception: _e, ...extensions } = formatted.extensions ?? {};
    const message = formatted.message.replace(/^Context creation failed: /, '');
    return { ...formatted, message, extensions };
  }
  log(original, formatted);
  return {
    message: 'Internal server error',
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
