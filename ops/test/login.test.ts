import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Stack, startStack } from '@mentoring/stack';
import { graphqlClient, testRedis } from '@mentoring/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ME } from '../src/operations';
import { loadSession, saveSession, signedInClient } from '../src/session';
import { runCli, runInProcess, tempDir } from './helpers';

let stack: Stack;
const nonOperator = { email: 'teacher@example.org', password: 'a-long-password' };

beforeAll(async () => {
  const { redisUrl, prefix } = testRedis('ops_login');
  stack = await startStack({
    postgresUrl: inject('postgresUrl'),
    redisUrl,
    redisPrefix: prefix,
    label: 'ops',
  });
  await graphqlClient(stack.gatewayUrl)(
    'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
    { input: { ...nonOperator, displayName: 'Teacher' } },
  );
}, 120_000);
afterAll(() => stack?.close());

const storedSessions = (path: string) => JSON.parse(readFileSync(path, 'utf8')).sessions;

describe('npm run ops -- login', () => {
  it('signs an operator in and keeps the session in a file only they can read', async () => {
    const config = join(tempDir(), 'nested', 'ops.json');
    const result = await runCli(
      ['login', '--email', stack.operator.email, '--password', stack.operator.password],
      { MENTORING_GATEWAY: stack.gatewayUrl, MENTORING_OPS_CONFIG: config },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`as ${stack.operator.email} (operator)`);
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(storedSessions(config)[stack.gatewayUrl]).toMatchObject({
      email: stack.operator.email,
      token: expect.any(String),
      refreshToken: expect.any(String),
    });
  });

  it('reads the password from a pipe when it is not on the command line', async () => {
    const config = join(tempDir(), 'ops.json');
    const result = await runCli(
      ['login', '--email', stack.operator.email, '--gateway', stack.gatewayUrl],
      { MENTORING_OPS_CONFIG: config },
      `${stack.operator.password}\n`,
    );
    expect(result.code).toBe(0);
    expect(storedSessions(config)[stack.gatewayUrl].email).toBe(stack.operator.email);
  });

  it('refuses someone who is not an operator and stores nothing', async () => {
    const config = join(tempDir(), 'ops.json');
    const result = await runCli(['login', '--email', nonOperator.email, '--password', nonOperator.password], {
      MENTORING_GATEWAY: stack.gatewayUrl,
      MENTORING_OPS_CONFIG: config,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[FORBIDDEN]');
    expect(result.stderr).toContain('is not an operator');
    expect(() => statSync(config)).toThrow();
  });

  it('says UNAUTHENTICATED for a wrong password', async () => {
    const result = await runInProcess(
      ['login', '--email', stack.operator.email, '--password', 'wrong-password-1'],
      { MENTORING_GATEWAY: stack.gatewayUrl, MENTORING_OPS_CONFIG: join(tempDir(), 'ops.json') },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('[UNAUTHENTICATED]');
  });

  it('exits 2 when the email is missing', async () => {
    const result = await runInProcess(['login', '--password', 'x'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Missing --email');
  });
});

describe('a stored session', () => {
  it('is refreshed with the refresh token once the access token has expired', async () => {
    const config = join(tempDir(), 'ops.json');
    await runInProcess(['login', '--email', stack.operator.email, '--password', stack.operator.password], {
      MENTORING_GATEWAY: stack.gatewayUrl,
      MENTORING_OPS_CONFIG: config,
    });
    const stored = (await loadSession(config, stack.gatewayUrl))!;
    const expired = `e30.${Buffer.from(JSON.stringify({ exp: 1 })).toString('base64url')}.x`;
    await saveSession(config, stack.gatewayUrl, { ...stored, token: expired });

    const api = await signedInClient(config, stack.gatewayUrl);
    const { me } = await api<{ me: { email: string; roles: string[] } }>(ME);
    expect(me).toMatchObject({ email: stack.operator.email, roles: ['OPERATOR'] });
    const renewed = (await loadSession(config, stack.gatewayUrl))!;
    expect(renewed.token).not.toBe(expired);
    expect(renewed.refreshToken).not.toBe(stored.refreshToken);
  });

  it('is forgotten when the refresh token is refused, with a request to log in again', async () => {
    const config = join(tempDir(), 'ops.json');
    const expired = `e30.${Buffer.from(JSON.stringify({ exp: 1 })).toString('base64url')}.x`;
    await saveSession(config, stack.gatewayUrl, {
      email: stack.operator.email,
      token: expired,
      refreshToken: 'not-a-refresh-token',
    });
    await expect(signedInClient(config, stack.gatewayUrl)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('log'),
    });
    expect(await loadSession(config, stack.gatewayUrl)).toBeUndefined();
  });
});
