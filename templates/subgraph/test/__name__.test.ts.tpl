import { createTestDatabase, createTestTokens, errorCodes, graphqlClient, testRedis } from '@mentoring/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { create{{Pascal}} } from '../src/app';

const signer = await createTestTokens();
const subgraph = await create{{Pascal}}({
  exactDatabaseUrl: await createTestDatabase('{{service}}'),
  redisUrl: testRedis('{{service}}').redisUrl,
  verifyToken: signer.verifyToken,
});
afterAll(() => subgraph.close());
const url = await subgraph.listen({ port: 0 });
const gql = graphqlClient(`${url}/graphql`);
const someone = await signer.tokenFor({ userId: 'u-someone' });

describe('the {{name}} subgraph', () => {
  it('is alive and ready when its database and Redis answer', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', redis: 'ok' } });
  });

  it('lists the items a signed-in user added', async () => {
    const added = await gql<{ add{{Pascal}}Item: { id: string } }>(
      'mutation($name: String!) { add{{Pascal}}Item(name: $name) { id name } }',
      { name: ' First item ' },
      { token: someone },
    );
    expect(added.errors).toBeUndefined();
    const listed = await gql('{ {{camel}}Items { id name } }');
    expect(listed.data).toEqual({ {{camel}}Items: [{ id: added.data!.add{{Pascal}}Item.id, name: 'First item' }] });
  });

  it('refuses anonymous callers', async () => {
    const res = await gql('mutation { add{{Pascal}}Item(name: "x") { id } }');
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('publishes its schema to composition through _service', async () => {
    const res = await gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(res.data?._service.sdl).toMatch(/type {{Pascal}}Item\s+@key\(fields: "id"\)/);
  });
});
