import type { Database } from '@mentoring/db';
import type { BaseContext } from '@mentoring/subgraph-kit';

export interface FundsContext extends BaseContext {
  db: Database;
}
