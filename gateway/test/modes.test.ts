import { copyFile, writeFile } from 'node:fs/promises';
import { waitFor } from '@mentoring/testing';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/gateway';
import {
  graphql,
  memoryLogger,
  overridesFor,
  startReviews,
  startUsers,
  type TestSubgraph,
  tempDir,
  writeSupergraph,
} from './fixtures';

let users: TestSubgraph;
let reviews: TestSubgraph;
let dir: string;
let removeDir: () => Promise<void>;
const gateways: Gateway[] = [];

beforeAll(async () => {
  [users, reviews] = await Promise.all([startUsers(), startReviews()]);
  ({ dir, remove: removeDir } = await tempDir());
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  await Promise.all([users?.stop(), reviews?.stop()]);
  await removeDir?.();
});

async function start(options: Partial<Parameters<typeof createGateway>[0]> & { subgraphs?: TestSubgraph[] }) {
  const subgraphs = options.subgraphs ?? [users, reviews];
  const gateway = await createGateway({
    supergraphPath: options.supergraphPath ?? (await writeSupergraph(dir, subgraphs)),
    port: 0,
    subgraphUrls: overridesFor([users, reviews]),
    logger: memoryLogger().logger,
    ...options,
  });
  gateways.push(gateway);
  return gateway;
}

describe('production mode', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await start({ production: true });
  });

  it('refuses introspection', async () => {
    const { status, body } = await graphql(gateway.url, '{ __schema { queryType { name } } }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('does not suggest field names', async () => {
    const { body } = await graphql(gateway.url, '{ mee { id } }');
    expect(body.errors?.[0]?.message).toMatch(/Cannot query field "mee"/);
    expect(body.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('still answers queries', async () => {
    const { body } = await graphql(gateway.url, '{ me { name } }');
    expect(body).toEqual({ data: { me: { name: 'Ada' } } });
  });
});

describe('configurable limits', () => {
  it('applies a lower depth limit given in options', async () => {
    const gateway = await start({ limits: { maxDepth: 2 } });
    const { body } = await graphql(gateway.url, '{ me { friends { friends { id } } } }');
    expect(body.errors?.[0]?.message).toMatch(/depth limit of 2 exceeded/i);
  });
});

describe('authenticate hook', () => {
  let gateway: Gateway;
  const seen: unknown[] = [];
  beforeAll(async () => {
    gateway = await start({
      authenticate: (request) => {
        const header = request.headers.authorization;
        if (header !== 'Bearer good')
          throw new GraphQLError('invalid token', { extensions: { code: 'UNAUTHENTICATED' } });
        seen.push(header);
        return { userId: 'u1' };
      },
    });
  });

  it('refuses the request with 401 UNAUTHENTICATED when it throws', async () => {
    const { status, body } = await graphql(gateway.url, '{ me { id } }', {
      headers: { authorization: 'Bearer bad' },
    });
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toMatch(/invalid token/);
  });

  it('lets the request through when it returns a viewer', async () => {
    const { status, body } = await graphql(gateway.url, '{ me { id } }', {
      headers: { authorization: 'Bearer good' },
    });
    expect(status).toBe(200);
    expect(body.data).toEqual({ me: { id: 'u1' } });
    expect(seen).toEqual(['Bearer good']);
  });
});

describe('supergraph hot reload (development)', () => {
  it('serves a changed supergraph file, and keeps the old one when the new one is broken', async () => {
    const path = `${dir}/hot.graphql`;
    const { logger, lines } = memoryLogger();
    // Starts with `users` only.
    await copyFile(await writeSupergraph(dir, [users]), path);
    const gateway = await start({ supergraphPath: path, watchSupergraph: true, logger });
    const reviewsQuery = '{ me { reviews { body } } }';
    expect((await graphql(gateway.url, reviewsQuery)).body.errors?.[0]?.extensions?.code).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );

    // Recomposed with `reviews`: picked up without a restart.
    await copyFile(await writeSupergraph(dir, [users, reviews]), path);
    await waitFor(async () => !(await graphql(gateway.url, reviewsQuery)).body.errors, {
      what: 'the reloaded supergraph',
      timeoutMs: 5000,
    });

    // A broken file is logged and ignored.
    await writeFile(path, 'this is not a supergraph');
    await waitFor(
      () => lines.some((line) => line.msg?.toString().includes('still serving the previous one')),
      {
        what: 'the reload failure to be logged',
        timeoutMs: 5000,
      },
    );
    const { body } = await graphql(gateway.url, reviewsQuery);
    expect(body).toEqual({ data: { me: { reviews: [{ body: 'great mentor (u1)' }] } } });
  });
});
