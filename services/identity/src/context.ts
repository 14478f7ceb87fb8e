import type { Database } from '@mentoring/db';
import type { BaseContext } from '@mentoring/subgraph-kit';
import type { Accounts } from './auth/accounts';
import type { Sessions } from './auth/sessions';

export interface IdentityContext extends BaseContext {
  db: Database;
  accounts: Accounts;
  sessions: Sessions;
  /**
   * Users this request has just proven to be (signUp, logIn, refreshToken):
   * they may read their own account in the answer, before holding a token.
   */
  signedInAs: Set<string>;
}
