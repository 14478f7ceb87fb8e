import { createTestTokens, graphqlClient } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type BaseContext,
  createServiceTokens,
  createSubgraph,
  internalRoute,
  requireOperator,
  type Subgraph,
  UserError,
} from '../src';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
let subgraph: Subgraph;
let url: string;
let tokens: Awaited<ReturnType<typeof createTestTokens>>;
let databaseUp = true;

beforeAll(async () => {
  tokens = await createTestTokens();
  subgraph = await createSubgraph({
    name: 'kit-test',
    typeDefs: `
      type Query {
        hello: String!
        boom: String
        refuse: String
        operatorsOnly: String
        whoAmI: String
        slow(ms: Int!): String
      }
    `,
    resolvers: {
      Query: {
        hello: () => 'world',
        boom: () => {
          throw new Error('connection string postgres://secret@db leaked');
        },
        refuse: () => {
          throw new UserError('NOT_ELIGIBLE', 'Too old for this program.');
        },
        operatorsOnly: (_: unknown, __: unknown, ctx: BaseContext) => requireOperator(ctx.viewer).userId,
        whoAmI: (_: unknown, __: unknown, ctx: { viewer: { userId: string } | null }) =>
          ctx.viewer?.userId ?? null,
        slow: async (_: unknown, { ms }: { ms: number }) => {
          await new Promise((r) => setTimeout(r, ms));
          return 'done';
        },
      },
    },
    verifyToken: tokens.verifyToken,
    readiness: {
      database: async () => {
        if (!databaseUp) throw new Error('database down');
      },
    },
    internal: {
      tokens: createServiceTokens(secret, 'kit-test'),
      routes: {
        double: internalRoute(z.object({ n: z.number().int() }), async ({ n }, { caller }) => ({
          n: n * 2,
          caller,
        })),
        refuse: internalRoute(z.object({}), async () => {
          throw new UserError('SOLD_OUT', 'No seats left.');
        }),
      },
    },
    production: true,
  });
  url = await subgraph.listen({ port: 0 });
});
afterAll(() => subgraph.close());

const gql = () => graphqlClient(`${url}/graphql`);

describe('a subgraph built with the kit', () => {
  it('answers queries and echoes the request id it was given', async () => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-123' },
      body: JSON.stringify({ query: '{ hello }' }),
    });
    expect(await response.json()).toEqual({ data: { hello: 'world' } });
    expect(response.headers.get('x-request-id')).toBe('req-123');
  });

  it('masks unexpected errors: no internal message, no stack trace', async () => {
    const res = await gql()('{ boom }');
    expect(res.errors?.[0]).toMatchObject({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(res)).not.toMatch(/postgres|stacktrace|secret/);
  });

  it('keeps the message and code of errors the user can act on', async () => {
    const res = await gql()('{ refuse }');
    expect(res.errors?.[0]).toMatchObject({
      message: 'Too old for this program.',
      extensions: { code: 'NOT_ELIGIBLE' },
    });
  });

  it('knows the signed-in user from a valid token and refuses a forged one', async () => {
    const token = await tokens.tokenFor({ userId: 'u1', roles: ['OPERATOR'] });
    expect((await gql()('{ whoAmI operatorsOnly }', {}, { token })).data).toEqual({
      whoAmI: 'u1',
      operatorsOnly: 'u1',
    });
    const other = await createTestTokens();
    const forged = await other.tokenFor({ userId: 'u1', roles: ['OPERATOR'] });
    const refused = await gql()('{ whoAmI }', {}, { token: forged });
    expect(refused.status).toBe(401);
    expect((await gql()('{ whoAmI }', {}, { token: forged })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const expired = await tokens.tokenFor({ userId: 'u1' }, '-1m');
    expect((await gql()('{ whoAmI }', {}, { token: expired })).errors?.[0]?.message).toMatch(/expired/);
  });

  it('tells anonymous callers to sign in and non-operators they may not', async () => {
    expect((await gql()('{ operatorsOnly }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const token = await tokens.tokenFor({ userId: 'u2' });
    expect((await gql()('{ operatorsOnly }', {}, { token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('is ready only while its checks pass', async () => {
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    databaseUp = false;
    const down = await fetch(`${url}/readyz`);
    databaseUp = true;
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ checks: { database: 'database down' } });
  });
});

describe('the internal API', () => {
  const call = async (route: string, body: unknown, token?: string) => {
    const response = await fetch(`${url}/internal/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('serves callers with a service token addressed to it', async () => {
    const token = await createServiceTokens(secret, 'funds').sign('kit-test');
    expect(await call('double', { n: 21 }, token)).toEqual({
      status: 200,
      body: { result: { n: 42, caller: 'funds' } },
    });
  });

  it('refuses anonymous callers, user tokens, and tokens addressed to another service', async () => {
    expect((await call('double', { n: 1 })).status).toBe(401);
    expect(
      (await call('double', { n: 1 }, await tokens.tokenFor({ userId: 'u1', roles: ['OPERATOR'] }))).status,
    ).toBe(401);
    expect(
      (await call('double', { n: 1 }, await createServiceTokens(secret, 'funds').sign('catalog'))).status,
    ).toBe(401);
    const wrongSecret = createServiceTokens('another-secret-that-is-long-enough-987654321', 'funds');
    expect((await call('double', { n: 1 }, await wrongSecret.sign('kit-test'))).status).toBe(401);
  });

  it('validates input and passes public errors on with their code', async () => {
    const token = await createServiceTokens(secret, 'funds').sign('kit-test');
    expect(await call('double', { n: 'x' }, token)).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_USER_INPUT' } },
    });
    expect(await call('refuse', {}, token)).toEqual({
      status: 422,
      body: { error: { code: 'SOLD_OUT', message: 'No seats left.' } },
    });
  });
});

describe('shutdown', () => {
  it('lets an in-flight request finish before closing', async () => {
    const inFlight = gql()('{ slow(ms: 300) }');
    await new Promise((r) => setTimeout(r, 50));
    await subgraph.close();
    expect((await inFlight).data).toEqual({ slow: 'done' });
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
