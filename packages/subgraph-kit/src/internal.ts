import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { isPublicCode } from './errors';

export interface ServiceTokensLike {
  verify(token: string): Promise<string>;
}

export interface InternalRoute<I = unknown, O = unknown> {
  input: z.ZodType<I>;
  handle(input: I, meta: { caller: string; requestId: string }): Promise<O>;
}
// biome-ignore lint/suspicious/noExplicitAny: routes of any input and output type
export type InternalRoutes = Record<string, InternalRoute<any, any>>;

/** Declares an internal route with its input schema (keeps the types aligned). */
export function internalRoute<I, O>(
  input: z.ZodType<I>,
  handle: InternalRoute<I, O>['handle'],
): InternalRoute<I, O> {
  return { input, handle };
}

/**
 * `POST /internal/<name>`: only callers with a valid service token addressed
 * to this service; input validated; public errors answered as
 * `{ error: { code, message } }` with 422, anything else as 500.
 */
export function registerInternalRoutes(
  app: FastifyInstance,
  tokens: ServiceTokensLike,
  routes: InternalRoutes,
) {
  app.post<{ Params: { name: string } }>('/internal/:name', async (request, reply) => {
    const route = routes[request.params.name];
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    let caller: string;
    try {
      if (!token) throw new Error('missing');
      caller = await tokens.verify(token);
    } catch {
      return reply
        .code(401)
        .send({ error: { code: 'UNAUTHENTICATED', message: 'A service token is required.' } });
    }
    if (!route)
      return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such internal route.' } });
    const parsed = route.input.safeParse(request.body);
    if (!parsed.success) {
      return reply.code(400).send({
        error: {
          code: 'BAD_USER_INPUT',
          message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        },
      });
    }
    try {
      const result = await route.handle(parsed.data, { caller, requestId: request.id });
      return reply.send({ result: result ?? null });
    } catch (error) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (isPublicCode(code)) {
        const { extensions } = error as { extensions: Record<string, unknown> };
        return reply.code(422).send({ error: { ...extensions, code, message: (error as Error).message } });
      }
      request.log.error({ err: error, route: request.params.name, caller }, 'internal route failed');
      return reply
        .code(500)
        .send({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' } });
    }
  });
}
