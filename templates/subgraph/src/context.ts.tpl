import type { Database } from '@mentoring/db';
import type { BaseContext } from '@mentoring/subgraph-kit';

export interface {{Pascal}}Context extends BaseContext {
  db: Database;
}
