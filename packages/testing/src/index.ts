import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '@mentoring/db';
import { Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';

export { findTestServers, type TestServers } from './servers';
export { freePort, waitFor } from './wait';

function uniqueName(label: string): string {
  return `${label
    .replace(/[^a-z0-9]+/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
}

/**
 * A fresh, empty PostgreSQL database for this test file, dropped when the
 * file's tests are done. Returns its URL.
 */
export async function createTestDatabase(label = 'test'): Promise<string> {
  const url = new URL(inject('postgresUrl'));
  url.pathname = `/t_${uniqueName(label)}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  afterAll(async () => {
    await dropDatabase(databaseUrl).catch(() => {});
  });
  return databaseUrl;
}

/** The Redis URL and a key prefix no other test file uses; keys are removed afterwards. */
export function testRedis(label = 'test'): { redisUrl: string; prefix: string } {
  const redisUrl = inject('redisUrl');
  const prefix = `t:${uniqueName(label)}`;
  afterAll(async () => {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  });
  return { redisUrl, prefix };
}
export { contractOperation } from './contract';
export { errorCodes, type GraphQLResponse, graphqlClient } from './graphql';
export { createTestTokens } from './tokens';
