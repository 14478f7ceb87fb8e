import type { Database } from '@mentoring/db';
import type { BaseContext } from '@mentoring/subgraph-kit';
import type { ProviderLookup } from './identity';

export interface CatalogContext extends BaseContext {
  db: Database;
  lookupProvider: ProviderLookup;
}
