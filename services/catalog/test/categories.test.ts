import { graphqlClient } from '@mentoring/testing';
import { describe, expect, it } from 'vitest';
import { startCatalog } from './helpers';

const { url } = await startCatalog('catalog_categories');

describe('catalog subgraph', () => {
  it('lists the seeded categories in display order', async () => {
    const res = await graphqlClient(`${url}/graphql`)<{ categories: { slug: string; name: string }[] }>(
      'query Categories { categories { slug name } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.categories.map((c) => c.slug)).toEqual([
      'music',
      'theatre',
      'dance',
      'visual-arts',
      'museum',
      'cinema',
      'books',
      'language-course',
      'tutoring',
      'sport',
      'other',
    ]);
    expect(res.data?.categories[0]).toEqual({ slug: 'music', name: 'Musica' });
  });

  it('is alive and ready when its database and Redis answer', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: 'ok', redis: 'ok' } });
  });

  it('answers a malformed query with a parse error, not a server error', async () => {
    const res = await graphqlClient(`${url}/graphql`)('{ categories { slug ');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(JSON.stringify(res)).not.toContain('stacktrace');
  });

  it('refuses a malformed Authorization header instead of treating the caller as anonymous', async () => {
    const res = await graphqlClient(`${url}/graphql`)('{ categories { slug } }', {}, { token: 'not-a-jwt' });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
