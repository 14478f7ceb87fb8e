import type { Database } from '@mentoring/db';
import type { BaseContext } from '@mentoring/subgraph-kit';
import type { OfferingLookup } from './catalog';

export interface SportContext extends BaseContext {
  db: Database;
  lookupOffering: OfferingLookup;
}
