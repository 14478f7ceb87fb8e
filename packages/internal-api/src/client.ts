import { type ErrorCode, isPublicCode, type ServiceTokens, UserError } from '@mentoring/subgraph-kit';
import type { z } from 'zod';

export type ServiceName = 'identity' | 'funds' | 'catalog' | 'redemption' | 'notifications';

/** One internal route: its name and the shapes of what goes in and comes out. */
export interface Contract<I extends z.ZodType, O extends z.ZodType> {
  service: ServiceName;
  route: string;
  input: I;
  output: O;
}

export function contract<I extends z.ZodType, O extends z.ZodType>(
  service: ServiceName,
  route: string,
  input: I,
  output: O,
): Contract<I, O> {
  return { service, route, input, output };
}

/** The callee could not be reached or failed unexpectedly: safe to retry with the same idempotency key. */
export class InternalCallError extends Error {
  constructor(
    message: string,
    readonly service: ServiceName,
    readonly route: string,
  ) {
    super(message);
    this.name = 'InternalCallError';
  }
}

export interface InternalClientOptions {
  tokens: Pick<ServiceTokens, 'sign'>;
  /** Base URL (origin) of each service, e.g. `{ identity: 'http://127.0.0.1:4001' }`. */
  urls: Partial<Record<ServiceName, string>>;
  timeoutMs?: number;
  requestId?: string;
}

export type InternalClient = <I extends z.ZodType, O extends z.ZodType>(
  contract: Contract<I, O>,
  input: z.input<I>,
  options?: { requestId?: string },
) => Promise<z.output<O>>;

/**
 * Calls another service's internal API with a service token. Public errors
 * of the callee (e.g. `INSUFFICIENT_FUNDS`) are rethrown as `UserError`s with
 * the same code and message; anything else is an `InternalCallError`.
 */
export function createInternalClient({
  tokens,
  urls,
  timeoutMs = 10_000,
}: InternalClientOptions): InternalClient {
  return async (target, input, options) => {
    const base = urls[target.service];
    if (!base)
      throw new InternalCallError(`no URL configured for ${target.service}`, target.service, target.route);
    let response: Response;
    try {
      response = await fetch(`${base}/internal/${target.route}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await tokens.sign(target.service)}`,
          ...(options?.requestId ? { 'x-request-id': options.requestId } : {}),
        },
        body: JSON.stringify(target.input.parse(input)),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new InternalCallError(
        `${target.service}/${target.route} unreachable: ${(error as Error).message}`,
        target.service,
        target.route,
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      result?: unknown;
      error?: { code?: string; message?: string } & Record<string, unknown>;
    };
    if (response.ok) return target.output.parse(body.result);
    const { code, message, ...details } = body.error ?? {};
    if (response.status === 422 && isPublicCode(code))
      throw new UserError(code as ErrorCode, message ?? code, details);
    throw new InternalCallError(
      `${target.service}/${target.route} answered ${response.status}: ${message ?? 'no message'}`,
      target.service,
      target.route,
    );
  };
}
