import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createCatalog } from '@mentoring/catalog';
import { dropDatabase, serviceDatabaseUrl } from '@mentoring/db';
import { createFunds } from '@mentoring/funds';
import { createGateway, type Gateway } from '@mentoring/gateway';
import { createIdentity } from '@mentoring/identity';
import { createRedemption } from '@mentoring/redemption';
import { createTokenVerifier, type Subgraph, viewerFromHeader } from '@mentoring/subgraph-kit';

/** The committed supergraph: what production serves, so the tests exercise it too. */
const SUPERGRAPH_PATH = fileURLToPath(
  new URL('../../../infra/supergraph/supergraph.graphql', import.meta.url),
);

/**
 * The whole platform shares one process (and, in CI, two cores with other
 * test files): concurrency tests queue hundreds of requests, so calls get
 * more time here than the 10 s production default.
 */
const SLOW_MACHINE_TIMEOUT_MS = 60_000;

export const SUBGRAPHS = ['identity', 'funds', 'catalog', 'redemption'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

export interface StackOptions {
  /** A PostgreSQL server URL with the right to create databases. */
  postgresUrl: string;
  redisUrl: string;
  /** Redis key prefix for this stack (queues, rate limits). */
  redisPrefix?: string;
  /** Names the databases (`s_<label>_<random>_<service>`). */
  label?: string;
  operator?: { email: string; password: string };
  /** Days captured money waits before settlement (default 0: settle at once, as in tests). */
  settlementHoldDays?: number;
}

export interface Stack {
  /** The gateway's GraphQL endpoint (`…/graphql`). */
  gatewayUrl: string;
  gateway: Gateway;
  /** Each subgraph's origin, e.g. `http://127.0.0.1:41234`. */
  urls: Record<SubgraphName, string>;
  subgraphs: Record<SubgraphName, Subgraph>;
  operator: { email: string; password: string };
  serviceTokenSecret: string;
  redisPrefix: string;
  /** Stops the subgraphs and drops their databases. */
  close(): Promise<void>;
}

/**
 * Starts the four subgraphs in this process on free ports, each on its own
 * fresh database, wired to each other as in production (JWKS, internal API
 * with service tokens). For end-to-end tests and benchmarks.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const label = `${options.label ?? 'stack'}_${randomBytes(3).toString('hex')}`.replace(/[^a-z0-9_]/gi, '_');
  const base = new URL(options.postgresUrl);
  base.pathname = `/s_${label}`.toLowerCase();
  const databaseUrl = base.toString();
  const redisPrefix = options.redisPrefix ?? `stack:${label}`;
  const serviceTokenSecret = randomBytes(32).toString('hex');
  const operator = options.operator ?? { email: 'operator@mentoring.test', password: 'operator-password-1' };
  const common = {
    databaseUrl,
    redisUrl: options.redisUrl,
    redisPrefix,
    serviceTokenSecret,
    production: false,
  };
  const started: Array<{ close(): Promise<void> }> = [];
  const urls = {} as Record<SubgraphName, string>;
  let gateway: Gateway;
  const subgraphs = {} as Record<SubgraphName, Subgraph>;
  const add = async (name: SubgraphName, subgraph: Subgraph) => {
    started.push(subgraph);
    subgraphs[name] = subgraph;
    urls[name] = await subgraph.listen({ port: 0 });
  };

  let verifyToken: ReturnType<typeof createTokenVerifier>;
  try {
    const identity = await createIdentity({ ...common, operator });
    await add('identity', identity);
    verifyToken = createTokenVerifier({ jwks: identity.jwks });
    const peers = { identityUrl: urls.identity };
    await add('catalog', await createCatalog({ ...common, ...peers, verifyToken }));
    await add(
      'funds',
      await createFunds({
        ...common,
        ...peers,
        verifyToken,
        settlementHoldDays: options.settlementHoldDays ?? 0,
      }),
    );
    await add(
      'redemption',
      await createRedemption({
        ...common,
        ...peers,
        verifyToken,
        fundsUrl: urls.funds,
        catalogUrl: urls.catalog,
        callTimeoutMs: SLOW_MACHINE_TIMEOUT_MS,
      }),
    );
    gateway = await createGateway({
      supergraphPath: SUPERGRAPH_PATH,
      watchSupergraph: false,
      port: 0,
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((name) => [name, `${urls[name]}/graphql`])),
      authenticate: (request) => viewerFromHeader(request.headers.authorization, verifyToken),
      subgraphTimeoutMs: SLOW_MACHINE_TIMEOUT_MS,
    });
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw error;
  }

  return {
    gatewayUrl: gateway.url,
    gateway,
    urls,
    subgraphs,
    operator,
    serviceTokenSecret,
    redisPrefix,
    async close() {
      await gateway.close();
      await Promise.allSettled(started.map((s) => s.close()));
      await Promise.allSettled(SUBGRAPHS.map((name) => dropDatabase(serviceDatabaseUrl(databaseUrl, name))));
    },
  };
}
