import './telemetry-off';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { GraphQLError } from 'graphql';
import { type Logger, pino } from 'pino';
import { formatError, requestScope } from './errors';
import { checkSubgraphs, type ReadinessProbe } from './health';
import { armorFor, defaultLimits, type EdgeLimits } from './limits';
import { requestIdFrom } from './request-id';
import { createSubgraphFetcher } from './subgraph-fetcher';
import { ForwardingDataSource, type GatewayContext, subgraphUrlResolver } from './subgraph-source';
import { listSubgraphs, supergraphFromFile } from './supergraph-file';

export interface GatewayOptions {
  /** The composed supergraph (infra/supergraph/supergraph.graphql). */
  supergraphPath: string;
  /** NODE_ENV=production semantics: no introspection, no hot reload, no field suggestions. */
  production?: boolean;
  /** Reload the supergraph file when it changes (default: when not production). */
  watchSupergraph?: boolean;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Subgraph URL overrides by subgraph name (`identity` or `IDENTITY`); others use the supergraph's URLs. */
  subgraphUrls?: Record<string, string>;
  subgraphTimeoutMs?: number;
  subgraphMaxSockets?: number;
  readiness?: { probe?: ReadinessProbe; timeoutMs?: number };
  limits?: Partial<EdgeLimits>;
  /** Largest request body, in bytes (default 100 KiB). */
  bodyLimit?: number;
  logger?: Logger;
  /**
   * Where request authentication plugs in (JWT verification, later). Called once per
   * GraphQL request; its result is `context.viewer`. Throw a GraphQLError with code
   * UNAUTHENTICATED to refuse the request (HTTP 401).
   */
  authenticate?: (request: FastifyRequest) => unknown | Promise<unknown>;
}

export interface Gateway {
  app: FastifyInstance;
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** Stops accepting requests, lets in-flight ones finish, stops the gateway. Idempotent. */
  close(): Promise<void>;
}

function asUnauthenticated(error: unknown): unknown {
  if (
    !(error instanceof GraphQLError) ||
    error.extensions.code !== 'UNAUTHENTICATED' ||
    error.extensions.http
  )
    return error;
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { ...error.extensions, http: { status: 401 } },
  });
}

/** Builds the gateway, loads the supergraph and listens. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const logger =
    options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'gateway' } });
  const limits: EdgeLimits = { ...defaultLimits(production), ...options.limits };
  const fetcher = createSubgraphFetcher({
    timeoutMs: options.subgraphTimeoutMs ?? 10_000,
    maxSockets: options.subgraphMaxSockets ?? 50,
  });
  const subgraphUrl = subgraphUrlResolver(options.subgraphUrls ?? {});
  const supergraph = supergraphFromFile({
    path: options.supergraphPath,
    watch: options.watchSupergraph ?? !production,
    logger: logger.child({ component: 'supergraph' }),
  });

  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.hook,
    buildService: ({ name, url }) => new ForwardingDataSource(subgraphUrl(name, url), fetcher.fetch),
    logger: logger.child({ component: 'apollo-gateway' }),
    __exposeQueryPlanExperimental: false,
  });

  const armor = armorFor(limits);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    ...armor,
    plugins: [
      ...armor.plugins,
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
    validationRules: armor.validationRules,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: !production,
    csrfPrevention: true,
    // main.ts owns SIGTERM/SIGINT: it drains Fastify first, which then stops Apollo.
    stopOnTerminationSignals: false,
    logger: logger.child({ component: 'apollo-server' }),
  });

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 100 * 1024,
    genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Probes hit these every few seconds; their lines would drown the rest.
      disableRequestLogging: (request) => request.url === '/healthz' || request.url === '/readyz',
    }),
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  try {
    await apollo.start();
  } catch (error) {
    fetcher.close();
    throw error;
  }
  app.addHook('onClose', async () => {
    await apollo.stop();
    fetcher.close();
  });

  const graphqlHandler = fastifyApolloHandler<GatewayContext>(apollo, {
    context: async (request) => {
      const authorization = request.headers.authorization;
      let viewer: unknown;
      if (options.authenticate) {
        try {
          viewer = await options.authenticate(request);
        } catch (error) {
          throw asUnauthenticated(error);
        }
      }
      return { requestId: request.id, authorization, clientIp: request.ip, viewer };
    },
  });
  app.route<{ Reply: string }>({
    method: ['GET', 'POST', 'OPTIONS'],
    url: '/graphql',
    handler(request, reply) {
      return requestScope.run({ requestId: request.id, log: request.log }, () =>
        graphqlHandler.call(this, request, reply),
      );
    },
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const sdl = supergraph.current();
    const endpoints = sdl
      ? listSubgraphs(sdl).map(({ name, url }) => ({ name, url: subgraphUrl(name, url) }))
      : [];
    const { ready, subgraphs } = await checkSubgraphs(fetcher.fetch, endpoints, options.readiness);
    if (ready) return { status: 'ready', subgraphs };
    return reply.code(503).send({
      status: 'unready',
      failed: subgraphs.filter((s) => !s.ok).map(({ name, error }) => ({ name, error })),
      subgraphs,
    });
  });

  let address: string;
  try {
    address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 4000 });
  } catch (error) {
    await app.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    app,
    url: `${address}/graphql`,
    close: () => {
      closing ??= app.close();
      return closing;
    },
  };
}
