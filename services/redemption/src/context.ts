import type { Database } from '@mentoring/db';
import type { BaseContext } from '@mentoring/subgraph-kit';

export interface RedemptionContext extends BaseContext {
  db: Database;
}
