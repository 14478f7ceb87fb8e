import type { Database } from '@mentoring/db';
import type { InternalClient } from '@mentoring/internal-api';
import type { BaseContext } from '@mentoring/subgraph-kit';
import type { ClaimCodeKeys } from './domain/claim-codes';
import type { ClaimAttempts } from './domain/grant-lifecycle';
import type { SepaDebtor } from './domain/settlement/files';

export interface FundsContext extends BaseContext {
  db: Database;
  /** Identity's internal API (beneficiaries, holders). */
  identity: InternalClient;
  codes: ClaimCodeKeys;
  claimAttempts: ClaimAttempts;
  /** The account settlement payouts are paid from. */
  sepaDebtor: SepaDebtor;
}
