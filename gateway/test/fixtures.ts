import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import { type Logger, pino } from 'pino';
import { composeSupergraph, type SubgraphSource } from '../../infra/supergraph/compose-lib';

type Resolvers = Extract<Parameters<typeof buildSubgraphSchema>[0], { resolvers?: unknown }>['resolvers'];

const FEDERATION = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

/** `users`: owns User; also throws the errors the masking tests look at. */
export const USERS_SDL = `${FEDERATION}
type Query {
  me: User
  boom: String
  crash: String
  badInput(n: Int!): String
  slow(ms: Int!): String
}
type User @key(fields: "id") {
  id: ID!
  name: String!
  friends: [User!]!
}
`;

/** `reviews`: adds User.reviews (an entity field resolved across subgraphs). */
export const REVIEWS_SDL = `${FEDERATION}
type User @key(fields: "id") {
  id: ID!
  reviews: [Review!]!
}
type Review {
  body: String!
}
`;

const ada = { id: 'u1', name: 'Ada' };

const usersResolvers = {
  Query: {
    me: () => ada,
    boom: () => {
      throw new GraphQLError('connection to db-primary:5432 refused', {
        extensions: { code: 'DB_EXPLODED' },
      });
    },
    crash: () => {
      throw new Error('secret internal detail');
    },
    badInput: (_: unknown, { n }: { n: number }) => {
      if (n < 0) throw new GraphQLError('n must not be negative', { extensions: { code: 'BAD_USER_INPUT' } });
      return String(n);
    },
    slow: async (_: unknown, { ms }: { ms: number }) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return 'late';
    },
  },
  User: {
    __resolveReference: (ref: { id: string }) => (ref.id === ada.id ? ada : null),
    friends: () => [ada],
  },
};

const reviewsResolvers = {
  User: {
    reviews: (user: { id: string }) => [{ body: `great mentor (${user.id})` }],
  },
};

export interface TestSubgraph {
  name: string;
  url: string;
  sdl: string;
  /** Headers of every request the subgraph received, oldest first. */
  received: IncomingHttpHeaders[];
  stop(): Promise<void>;
}

async function startSubgraph(name: string, sdl: string, resolvers: object): Promise<TestSubgraph> {
  const received: IncomingHttpHeaders[] = [];
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolvers as Resolvers }),
    // As a real subgraph in development would: stack traces in errors, which the gateway must strip.
    includeStacktraceInErrorResponses: true,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => {
      received.push(req.headers);
      return {};
    },
  });
  let stopped = false;
  return {
    name,
    url,
    sdl,
    received,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

export const startUsers = () => startSubgraph('users', USERS_SDL, usersResolvers);
export const startReviews = () => startSubgraph('reviews', REVIEWS_SDL, reviewsResolvers);

/** Composes in memory; throws with the problems if composition fails. */
export function compose(subgraphs: readonly Pick<TestSubgraph, 'name' | 'url' | 'sdl'>[]): string {
  const sources: SubgraphSource[] = subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: s.sdl }));
  const outcome = composeSupergraph(sources);
  if (outcome.errors) throw new Error(outcome.errors.map((e) => `${e.code}: ${e.message}`).join('\n'));
  return outcome.supergraphSdl;
}

/** A temporary directory removed by the returned function. */
export async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'gateway-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Writes a supergraph whose subgraph URLs are deliberately wrong (port 9), so that the
 * tests prove the gateway routes by the `<NAME>_URL`-style overrides.
 */
export async function writeSupergraph(dir: string, subgraphs: readonly TestSubgraph[]): Promise<string> {
  const path = join(dir, 'supergraph.graphql');
  await writeFile(path, compose(subgraphs.map((s) => ({ ...s, url: `http://127.0.0.1:9/${s.name}` }))));
  return path;
}

export function overridesFor(subgraphs: readonly TestSubgraph[]): Record<string, string> {
  return Object.fromEntries(subgraphs.map((s) => [s.name, s.url]));
}

/** A pino logger that keeps its lines in memory (level from LOG_LEVEL for the console is not wanted here). */
export function memoryLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines };
}

export interface GraphQLResult {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
}

export async function graphql(
  url: string,
  query: string,
  { headers = {}, variables }: { headers?: Record<string, string>; variables?: Record<string, unknown> } = {},
): Promise<GraphQLResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResult['body'],
  };
}
