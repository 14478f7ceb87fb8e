import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import fastifyApollo from '@as-integrations/fastify';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { type DocumentNode, GraphQLError, parse } from 'graphql';
import { type TokenVerifier, type Viewer, viewerFromHeader } from './auth';
import { maskError } from './errors';
import { type InternalRoutes, registerInternalRoutes, type ServiceTokensLike } from './internal';
import { Loaders } from './loaders';
import { createLogger, type Logger } from './logger';

/** What every resolver gets; services add their own dependencies to it. */
export interface BaseContext {
  requestId: string;
  log: Logger;
  viewer: Viewer | null;
  loaders: Loaders;
  /** The caller's IP address (for rate limits). */
  ip: string;
}

export interface SubgraphOptions<C extends BaseContext> {
  name: string;
  /** The subgraph SDL (`schema.graphql`'s text or a parsed document). */
  typeDefs: string | DocumentNode;
  resolvers: GraphQLResolverMap<C>;
  logger?: Logger;
  /** Verifies access tokens; without it any Authorization header is refused. */
  verifyToken?: TokenVerifier;
  /** Adds the service's dependencies to the base context. */
  context?: (base: BaseContext) => C | Promise<C>;
  /** Named checks `GET /readyz` runs (database, Redis…). */
  readiness?: Record<string, () => Promise<unknown>>;
  /** The internal API this service serves to other services. */
  internal?: { tokens: ServiceTokensLike; routes: InternalRoutes };
  /** Extra HTTP routes (JWKS, exports…). */
  routes?: (app: FastifyInstance) => void | Promise<void>;
  production?: boolean;
  /** Closed after the HTTP server drained (pools, connections). */
  onClose?: () => Promise<unknown>;
}

export interface Subgraph {
  app: FastifyInstance;
  log: Logger;
  listen(options: { port: number; host?: string }): Promise<string>;
  close(): Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/**
 * Builds a subgraph server: `POST /graphql`, `GET /healthz`, `GET /readyz`,
 * the internal API, JSON logs with a request id, error masking, auth context
 * and graceful draining. Every service and partner subgraph starts here.
 */
export async function createSubgraph<C extends BaseContext>(options: SubgraphOptions<C>): Promise<Subgraph> {
  const log = options.logger ?? createLogger(options.name);
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({
      disableRequestLogging: (request) => request.url === '/healthz' || request.url === '/readyz',
    }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    // Behind the gateway (loopback or a private network) the client's IP comes in x-forwarded-for.
    trustProxy: 'loopback,linklocal,uniquelocal',
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const typeDefs = typeof options.typeDefs === 'string' ? parse(options.typeDefs) : options.typeDefs;
  const plugins: ApolloServerPlugin<C>[] = [ApolloServerPluginInlineTraceDisabled()];
  if (production) plugins.push(ApolloServerPluginLandingPageDisabled());
  const apollo = new ApolloServer<C>({
    schema: buildSubgraphSchema({ typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> }),
    introspection: !production,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: false,
    plugins,
    formatError: (formatted, error) =>
      maskError(formatted, error, (original) =>
        log.error({ err: original }, 'unexpected error in a resolver'),
      ),
  });
  await apollo.start();

  const buildContext = async (request: FastifyRequest): Promise<C> => {
    const viewer = await viewerFromHeader(request.headers.authorization, options.verifyToken).catch(
      (error) => {
        // A refused token fails the whole request: 401, with the UNAUTHENTICATED code in the body.
        throw new GraphQLError((error as Error).message, {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      },
    );
    const base: BaseContext = {
      requestId: request.id,
      log: request.log as Logger,
      viewer,
      loaders: new Loaders(),
      ip: request.ip,
    };
    return options.context ? options.context(base) : (base as C);
  };
  await app.register(fastifyApollo(apollo), { path: '/graphql', context: buildContext });

  app.get('/healthz', async () => ({ status: 'ok', service: options.name }));
  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    let ready = true;
    await Promise.all(
      Object.entries(options.readiness ?? {}).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2000);
          checks[name] = 'ok';
        } catch (error) {
          ready = false;
          checks[name] = (error as Error).message || 'failed';
        }
      }),
    );
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ok' : 'unavailable', service: options.name, checks });
  });
  if (options.internal) registerInternalRoutes(app, options.internal.tokens, options.internal.routes);
  if (options.routes) await options.routes(app);

  let closing: Promise<void> | undefined;
  return {
    app,
    log,
    async listen({ port, host = '127.0.0.1' }) {
      await app.listen({ port, host });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : port;
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;
    },
    close() {
      closing ??= (async () => {
        await drainAndClose(app);
        await apollo.stop();
        await options.onClose?.();
      })();
      return closing;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Stops accepting connections, lets in-flight requests finish, and closes
 * keep-alive connections as soon as they fall idle (instead of waiting for
 * their timeout).
 */
export async function drainAndClose(app: FastifyInstance): Promise<void> {
  const closed = app.close();
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
  }
}
