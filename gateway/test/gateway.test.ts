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

describe('gateway over two subgraphs', () => {
  let users: TestSubgraph;
  let reviews: TestSubgraph;
  let gateway: Gateway;
  let origin: string;
  const log = memoryLogger();
  let removeDir: () => Promise<void>;

  beforeAll(async () => {
    [users, reviews] = await Promise.all([startUsers(), startReviews()]);
    const temp = await tempDir();
    removeDir = temp.remove;
    gateway = await createGateway({
      supergraphPath: await writeSupergraph(temp.dir, [users, reviews]),
      port: 0,
      subgraphUrls: overridesFor([users, reviews]),
      subgraphTimeoutMs: 1000,
      readiness: { timeoutMs: 1000 },
      logger: log.logger,
    });
    origin = new URL(gateway.url).origin;
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([users?.stop(), reviews?.stop()]);
    await removeDir?.();
  });

  it('resolves an entity across both subgraphs', async () => {
    const { status, body } = await graphql(gateway.url, '{ me { id name reviews { body } } }');
    expect(status).toBe(200);
    expect(body).toEqual({
      data: { me: { id: 'u1', name: 'Ada', reviews: [{ body: 'great mentor (u1)' }] } },
    });
  });

  it('forwards authorization and x-request-id to every subgraph it calls', async () => {
    users.received.length = 0;
    reviews.received.length = 0;
    const { headers } = await graphql(gateway.url, '{ me { reviews { body } } }', {
      headers: { authorization: 'Bearer token-123', 'x-request-id': 'req-abc.1' },
    });
    expect(headers.get('x-request-id')).toBe('req-abc.1');
    for (const received of [users.received, reviews.received]) {
      expect(received).toHaveLength(1);
      expect(received[0]?.authorization).toBe('Bearer token-123');
      expect(received[0]?.['x-request-id']).toBe('req-abc.1');
    }
  });

  it('replaces a missing or odd x-request-id with a UUID, and forwards that', async () => {
    users.received.length = 0;
    const { headers, body } = await graphql(gateway.url, '{ me { id } }', {
      headers: { 'x-request-id': 'bad id with spaces\t' },
    });
    const id = headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(users.received[0]?.['x-request-id']).toBe(id);
    expect(users.received[0]?.authorization).toBeUndefined();
    expect(body.data).toEqual({ me: { id: 'u1' } });
  });

  it('refuses a query deeper than the limit before calling any subgraph', async () => {
    users.received.length = 0;
    const deep = `{ me { ${'friends { '.repeat(11)}id${' }'.repeat(11)} } }`;
    const { status, body } = await graphql(gateway.url, deep);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/depth limit of 10 exceeded/i);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(users.received).toHaveLength(0);
  });

  it('refuses a query with hundreds of aliases', async () => {
    // (graphql-armor does not count `__typename` aliases; the token limit bounds those.)
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: me { id }`).join(' ');
    const { status, body } = await graphql(gateway.url, `{ ${aliases} }`);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/aliases limit of 15 exceeded/i);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('masks a subgraph error with an unknown code, and logs the original with the request id', async () => {
    const { body } = await graphql(gateway.url, '{ boom }', { headers: { 'x-request-id': 'req-boom' } });
    expect(body.data).toEqual({ boom: null });
    expect(body.errors).toEqual([
      {
        message: 'Internal server error',
        path: ['boom'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-boom' },
      },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|serviceName|db-primary/);
    const logged = log.lines.find(
      (line) => line.msg === 'masked an internal error' && line.requestId === 'req-boom',
    );
    expect(JSON.stringify(logged)).toContain('db-primary:5432');
  });

  it('masks a plain exception thrown in a subgraph', async () => {
    const { body } = await graphql(gateway.url, '{ crash }');
    expect(body.errors?.[0]?.message).toBe('Internal server error');
    expect(body.errors?.[0]?.extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      requestId: expect.any(String),
    });
  });

  it('keeps the message and code of a BAD_USER_INPUT error, without internals', async () => {
    const { body } = await graphql(gateway.url, '{ badInput(n: -1) }', {
      headers: { 'x-request-id': 'req-bad' },
    });
    expect(body.errors).toEqual([
      {
        message: 'n must not be negative',
        path: ['badInput'],
        extensions: { code: 'BAD_USER_INPUT', requestId: 'req-bad' },
      },
    ]);
  });

  it('keeps the gateway’s own validation errors', async () => {
    const { status, body } = await graphql(gateway.url, '{ nope }');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/Cannot query field "nope"/);
    expect(body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('gives up on a subgraph after the timeout, with a masked error', async () => {
    const { body } = await graphql(gateway.url, '{ slow(ms: 3000) }');
    expect(body.errors?.[0]?.message).toBe('Internal server error');
    expect(
      log.lines.some(
        (line) => line.msg === 'masked an internal error' && JSON.stringify(line).includes('1000 ms'),
      ),
    ).toBe(true);
  });

  it('refuses a text/plain POST (CSRF prevention) with a 400, not a 500', async () => {
    users.received.length = 0;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
    expect(users.received).toHaveLength(0);
  });

  it('refuses a body over 100 KiB', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(110 * 1024)}` }),
    });
    expect(response.status).toBe(413);
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${origin}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  // Stops a subgraph: keep last.
  it('is ready while every subgraph answers, and not once one stops', async () => {
    const ready = await fetch(`${origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });

    await reviews.stop();
    const unready = await fetch(`${origin}/readyz`);
    expect(unready.status).toBe(503);
    expect(await unready.json()).toMatchObject({
      status: 'unready',
      failed: [{ name: 'reviews', error: expect.any(String) }],
    });
  });
});
