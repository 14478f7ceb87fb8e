import { randomBytes } from 'node:crypto';
import type { Database } from '@mentoring/db';
import { badInput, unauthenticated } from '@mentoring/subgraph-kit';
import { findUserByEmail, insertUser, type UserRow, upsertOperator } from '../db/users';
import { isEmail, normalizeEmail } from '../domain/emails';
import { hashPassword, passwordProblem, verifyPassword } from '../domain/passwords';
import type { LoginLimiter } from './login-limits';
import type { Sessions, Tokens } from './sessions';

export type Session = Tokens & { user: UserRow };

const WRONG_CREDENTIALS = 'Wrong email or password.';

/** Signing up and logging in. */
export function createAccounts(db: Database, sessions: Sessions, limiter: LoginLimiter) {
  // Checked against when the email is unknown, so both failures take as long.
  let dummyHash: Promise<string> | undefined;
  const dummy = () => {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    return dummyHash;
  };

  return {
    async signUp(input: { email: string; password: string; displayName: string }): Promise<Session> {
      const email = normalizeEmail(input.email);
      if (!isEmail(email)) throw badInput('Enter a valid email address.', 'email');
      const problem = passwordProblem(input.password);
      if (problem) throw badInput(problem, 'password');
      const displayName = input.displayName.trim();
      if (!displayName || displayName.length > 100)
        throw badInput('The display name must be 1 to 100 characters long.', 'displayName');
      const user = await insertUser(db, {
        email,
        displayName,
        passwordHash: await hashPassword(input.password),
      });
      if (!user) throw badInput('An account with this email already exists.', 'email');
      return { ...(await sessions.start(user.id)), user };
    },

    async logIn(rawEmail: string, password: string, ip: string): Promise<Session> {
      const email = normalizeEmail(rawEmail);
      await limiter.check(email, ip);
      const user = await findUserByEmail(db, email);
      const matches = await verifyPassword(user?.passwordHash ?? (await dummy()), password);
      if (!user || !matches) {
        await limiter.recordFailure(email, ip);
        throw unauthenticated(WRONG_CREDENTIALS);
      }
      await limiter.recordSuccess(email);
      return { ...(await sessions.start(user.id)), user };
    },

    /** The first operator from the environment: created, or given this password and the role. */
    async ensureOperator(rawEmail: string, password: string): Promise<UserRow> {
      const email = normalizeEmail(rawEmail);
      const problem = passwordProblem(password);
      if (!isEmail(email)) throw new Error('OPERATOR_EMAIL is not a valid email address');
      if (problem) throw new Error(`OPERATOR_PASSWORD: ${problem}`);
      return upsertOperator(db, {
        email,
        displayName: 'Operator',
        passwordHash: await hashPassword(password),
      });
    },

    /** Computes the stand-in hash ahead of the first login. */
    warmUp: () => dummy().then(() => undefined),
  };
}
export type Accounts = ReturnType<typeof createAccounts>;
