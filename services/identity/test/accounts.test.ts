import { errorCodes } from '@mentoring/testing';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import pg from 'pg';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as passwords from '../src/domain/passwords';
import { signUp, startIdentity, type TestIdentity, uniqueEmail } from './helpers';
import { LOG_IN, REFRESH_TOKEN, SIGN_UP } from './operations';

// Watches password checks (the real argon2 still runs).
vi.mock('../src/domain/passwords', { spy: true });

let t: TestIdentity;
beforeAll(async () => {
  t = await startIdentity();
});

type AuthPayload = {
  token: string;
  refreshToken: string;
  user: { id: string; email: string; displayName?: string };
};
const logIn = (email: string, password: string) => t.gql<{ logIn: AuthPayload }>(LOG_IN, { email, password });
const refresh = (refreshToken: string) =>
  t.gql<{ refreshToken: AuthPayload }>(REFRESH_TOKEN, { refreshToken });

describe('signing up', () => {
  it('creates the account and signs the user in', async () => {
    const res = await t.gql<{ signUp: AuthPayload }>(SIGN_UP, {
      input: {
        email: '  Giulia.Rossi@Example.TEST ',
        password: 'correct horse battery',
        displayName: 'Giulia',
      },
    });
    expect(res.errors).toBeUndefined();
    const { token, refreshToken, user } = res.data!.signUp;
    expect(user).toEqual({
      id: expect.any(String),
      email: 'giulia.rossi@example.test',
      displayName: 'Giulia',
    });
    expect(decodeJwt(token).sub).toBe(user.id);
    expect(refreshToken.length).toBeGreaterThanOrEqual(43);
  });

  it('stores an argon2id hash, never the password', async () => {
    const user = await signUp(t, 'hashed', 'my secret passphrase');
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT password_hash FROM users WHERE id = $1', [user.id]);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0].password_hash).not.toContain('my secret passphrase');
    } finally {
      await client.end();
    }
  });

  it('refuses a password shorter than 10 characters, saying so', async () => {
    const res = await t.gql(SIGN_UP, {
      input: { email: uniqueEmail(), password: 'short', displayName: 'X' },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toMatch(/at least 10 characters/);
  });

  it('refuses an email that already has an account, whatever its case', async () => {
    const existing = await signUp(t, 'taken');
    const res = await t.gql(SIGN_UP, {
      input: { email: existing.email.toUpperCase(), password: 'another password', displayName: 'Y' },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors?.[0]?.message).toBe('An account with this email already exists.');
  });

  it('refuses something that is not an email address', async () => {
    const res = await t.gql(SIGN_UP, {
      input: { email: 'nobody', password: 'long enough pw', displayName: 'Z' },
    });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('logging in', () => {
  it('signs in with the right password, whatever the case and spaces of the email', async () => {
    const user = await signUp(t, 'login');
    const res = await logIn(` ${user.email.toUpperCase()} `, 'correct horse battery');
    expect(res.errors).toBeUndefined();
    expect(res.data?.logIn.user).toEqual({ id: user.id, email: user.email });
  });

  it('gives the same answer for a wrong email and a wrong password', async () => {
    const user = await signUp(t, 'same-answer');
    const wrongPassword = await logIn(user.email, 'not my password');
    const wrongEmail = await logIn(uniqueEmail('nobody'), 'not my password');
    expect(wrongPassword.errors).toEqual(wrongEmail.errors);
    expect(errorCodes(wrongEmail)).toEqual(['UNAUTHENTICATED']);
    expect(wrongEmail.errors?.[0]?.message).toBe('Wrong email or password.');
  });

  it('checks a password hash even for an unknown email, so both take about as long', async () => {
    const user = await signUp(t, 'timing');
    const verify = vi.mocked(passwords.verifyPassword);
    verify.mockClear();
    await logIn(uniqueEmail('ghost'), 'not my password');
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.calls[0]![0]).toMatch(/^\$argon2id\$/);

    // Interleaved, so a busy machine slows both kinds of attempt alike.
    const wrongPassword: number[] = [];
    const unknownEmail: number[] = [];
    const time = async (into: number[], attempt: () => Promise<unknown>) => {
      const start = performance.now();
      await attempt();
      into.push(performance.now() - start);
    };
    for (let i = 0; i < 7; i++) {
      await time(wrongPassword, () => logIn(user.email, 'not my password'));
      await time(unknownEmail, () => logIn(uniqueEmail('ghost'), 'not my password'));
    }
    const median = (times: number[]) => times.sort((a, b) => a - b)[3]!;
    expect(median(unknownEmail)).toBeGreaterThan(median(wrongPassword) / 3);
    expect(median(unknownEmail)).toBeLessThan(median(wrongPassword) * 3);
  });

  it('is rate limited after 10 failures for one email, even with the right password then', async () => {
    const user = await signUp(t, 'limited');
    for (let i = 0; i < 10; i++)
      expect(errorCodes(await logIn(user.email, `wrong password ${i}`))).toEqual(['UNAUTHENTICATED']);
    const res = await logIn(user.email, 'correct horse battery');
    expect(errorCodes(res)).toEqual(['RATE_LIMITED']);
  });
});

describe('refreshing tokens', () => {
  it('exchanges a refresh token for a new pair, once', async () => {
    const user = await signUp(t, 'refresh');
    const first = await refresh(user.refreshToken);
    expect(first.errors).toBeUndefined();
    const next = first.data!.refreshToken;
    expect(next.refreshToken).not.toBe(user.refreshToken);
    expect(decodeJwt(next.token).sub).toBe(user.id);
    expect(errorCodes(await refresh(next.refreshToken))).toEqual([]);
  });

  it('ends the whole sign-in when an exchanged token is presented again', async () => {
    const user = await signUp(t, 'reuse');
    const rotated = (await refresh(user.refreshToken)).data!.refreshToken;
    // Someone replays the old token (stolen?): refused…
    expect(errorCodes(await refresh(user.refreshToken))).toEqual(['UNAUTHENTICATED']);
    // …and the legitimate newer token is revoked with it.
    expect(errorCodes(await refresh(rotated.refreshToken))).toEqual(['UNAUTHENTICATED']);
  });

  it('keeps other sign-ins of the same user alive when one family is revoked', async () => {
    const user = await signUp(t, 'two-devices');
    const phone = (await logIn(user.email, 'correct horse battery')).data!.logIn;
    await refresh(user.refreshToken);
    await refresh(user.refreshToken); // reuse: revokes the sign-up family only
    expect(errorCodes(await refresh(phone.refreshToken))).toEqual([]);
  });

  it('refuses a refresh token it never issued', async () => {
    expect(errorCodes(await refresh('made-up-token'))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('access tokens', () => {
  it('carry exactly the claims the other subgraphs read, for 15 minutes', async () => {
    const user = await signUp(t, 'claims');
    const claims = decodeJwt(user.token);
    expect(claims).toMatchObject({
      sub: user.id,
      roles: [],
      mem: [],
      iss: 'mentoring-identity',
      aud: 'mentoring',
    });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    expect(decodeProtectedHeader(user.token)).toMatchObject({ alg: 'ES256', kid: expect.any(String) });
  });
});
