import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, errorCodes, testRedis } from '@mentoring/testing';
import { decodeJwt } from 'jose';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createIdentity } from '../src/app';
import { identityEnv } from '../src/config';
import { newJwk, OPERATOR, signUp, startIdentity, uniqueEmail } from './helpers';
import { LOG_IN } from './operations';

describe('the first operator', () => {
  it('is created once even when two instances start at the same time, and can log in', async () => {
    const databaseUrl = await createTestDatabase('identity-operator');
    // Migrated first: concurrent first-time migrations are packages/db's concern (see README).
    await startIdentity({ databaseUrl, operator: undefined });
    const [a] = await Promise.all([startIdentity({ databaseUrl }), startIdentity({ databaseUrl })]);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT roles FROM users WHERE email = $1', [OPERATOR.email]);
      expect(rows).toEqual([{ roles: ['OPERATOR'] }]);
    } finally {
      await client.end();
    }
    const res = await a!.gql<{ logIn: { token: string } }>(LOG_IN, OPERATOR);
    expect(decodeJwt(res.data!.logIn.token).roles).toEqual(['OPERATOR']);
  });

  it('gets the new password and the role when the environment names an existing user', async () => {
    const databaseUrl = await createTestDatabase('identity-operator-update');
    const first = await startIdentity({ databaseUrl, operator: undefined });
    const existing = await signUp(first, 'future-operator');
    const second = await startIdentity({
      databaseUrl,
      operator: { email: existing.email, password: 'brand new operator pw' },
    });
    expect(
      errorCodes(await second.gql(LOG_IN, { email: existing.email, password: 'correct horse battery' })),
    ).toEqual(['UNAUTHENTICATED']);
    const res = await second.gql<{ logIn: { token: string; user: { id: string } } }>(LOG_IN, {
      email: existing.email,
      password: 'brand new operator pw',
    });
    expect(res.data?.logIn.user.id).toBe(existing.id);
    expect(decodeJwt(res.data!.logIn.token).roles).toEqual(['OPERATOR']);
  });
});

describe('failed logins from one IP address', () => {
  it('are rate limited across many emails', async () => {
    const t = await startIdentity({ loginLimits: { perIp: 4 } });
    for (let i = 0; i < 4; i++)
      expect(errorCodes(await t.gql(LOG_IN, { email: uniqueEmail(), password: 'whatever pw' }))).toEqual([
        'UNAUTHENTICATED',
      ]);
    expect(errorCodes(await t.gql(LOG_IN, OPERATOR))).toEqual(['RATE_LIMITED']);
  });
});

describe('keys and secrets in development', () => {
  it('are generated once into the data folder and reused at the next start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'identity-'));
    const databaseUrl = await createTestDatabase('identity-dev-keys');
    const { redisUrl, prefix } = testRedis('identity-dev-keys');
    const start = () =>
      createIdentity({ exactDatabaseUrl: databaseUrl, dataDir, redisUrl, redisPrefix: prefix });
    const first = await start();
    await first.close();
    const keyFile = join(dataDir, 'identity', 'jwt-key.json');
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    expect(readFileSync(join(dataDir, 'service-token-secret'), 'utf8')).toMatch(/^[\w-]{32,}$/);
    const second = await start();
    await second.close();
    expect(second.jwks).toEqual(first.jwks);
  });

  it('are never generated in production', async () => {
    const { redisUrl } = testRedis();
    await expect(createIdentity({ redisUrl, production: true, jwtKey: await newJwk() })).rejects.toThrow(
      /SERVICE_TOKEN_SECRET/,
    );
  });
});

describe('configuration', () => {
  const base = { NODE_ENV: 'development' };

  it('has working defaults in development', () => {
    expect(identityEnv.parse(base)).toMatchObject({
      PORT: 4001,
      ACCESS_TOKEN_TTL: '15m',
      REFRESH_TOKEN_TTL_DAYS: 30,
    });
  });

  it('requires the signing key and the service secret in production', () => {
    const result = identityEnv.safeParse({ NODE_ENV: 'production' });
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual([
      'JWT_PRIVATE_KEY',
      'SERVICE_TOKEN_SECRET',
    ]);
  });

  it('wants the operator email and password together', () => {
    const result = identityEnv.safeParse({ ...base, OPERATOR_EMAIL: 'ops@example.test' });
    expect(result.error?.issues.map((i) => i.path[0])).toEqual(['OPERATOR_PASSWORD']);
  });
});
