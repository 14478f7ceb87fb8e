import type { Database } from '@mentoring/db';
import type { InternalClient } from '@mentoring/internal-api';

/** What the redemption rules need: their database, the peers' internal API, the authorization TTL. */
export interface RedemptionDeps {
  db: Database;
  call: InternalClient;
  /** How long an authorization waits for validation (REDEMPTION_AUTH_TTL). */
  authTtlMs: number;
}
