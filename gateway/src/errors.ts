import { AsyncLocalStorage } from 'node:async_hooks';
import { ERROR_CODES } from '@mentoring/subgraph-kit';
import type { FastifyBaseLogger } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';

/** Codes the product's subgraphs throw on purpose (subgraph-kit's list): message and code reach the client. */
export const DOMAIN_ERROR_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * Codes of the gateway's own request pipeline (Apollo Server, graphql-armor, whose
 * rejections arrive as BAD_USER_INPUT or as these). Kept only when the gateway raised them:
 * the same code coming back from a subgraph means the gateway sent a bad subquery — an internal fault.
 */
export const PIPELINE_ERROR_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** Extension keys that describe internals and never reach a client, whatever the code. */
const INTERNAL_EXTENSION_KEYS = new Set([
  'stacktrace',
  'serviceName',
  'exception',
  'originalError',
  'response',
  'http',
  'cause',
]);

export const INTERNAL_MESSAGE = 'Internal server error';

/** What formatError needs to know about the request it formats errors for. */
export interface RequestScope {
  requestId: string;
  log: Pick<FastifyBaseLogger, 'error' | 'debug'>;
}

/** Set around each /graphql request, so formatError (which gets no context) can tag and log errors. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

/** Whether a formatted error may reach the client as it is (less its internal extensions). */
export function isPublicError(formatted: GraphQLFormattedError): boolean {
  const code = formatted.extensions?.code;
  if (typeof code !== 'string') return false;
  const fromSubgraph = typeof formatted.extensions?.serviceName === 'string';
  return DOMAIN_ERROR_CODES.has(code) || (!fromSubgraph && PIPELINE_ERROR_CODES.has(code));
}

/**
 * The error a client sees. Known codes keep their message, code and public extensions;
 * anything else becomes "Internal server error" / INTERNAL_SERVER_ERROR. Stack traces, the
 * subgraph's name and exception details are always removed; `requestId` is always added.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  requestId: string | undefined,
): GraphQLFormattedError {
  const extensions = formatted.extensions ?? {};
  const withRequestId = requestId ? { requestId } : {};
  if (!isPublicError(formatted)) {
    return {
      message: INTERNAL_MESSAGE,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...withRequestId },
    };
  }
  const kept = Object.fromEntries(
    Object.entries(extensions).filter(([key]) => !INTERNAL_EXTENSION_KEYS.has(key)),
  );
  return { ...formatted, extensions: { ...kept, code: extensions.code, ...withRequestId } };
}

/** Apollo Server's `formatError`: masks, and logs what was masked with the request id. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const scope = requestScope.getStore();
  if (!isPublicError(formatted)) {
    scope?.log.error(
      {
        err: error instanceof Error ? error : undefined,
        graphqlError: { message: formatted.message, path: formatted.path, extensions: formatted.extensions },
      },
      'masked an internal error',
    );
  } else {
    scope?.log.debug({ graphqlError: formatted }, 'graphql error returned to the client');
  }
  return maskError(formatted, scope?.requestId);
}
