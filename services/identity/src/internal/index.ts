import type { Database } from '@mentoring/db';
import type { InternalRoutes } from '@mentoring/subgraph-kit';
import { beneficiaryRoutes } from './beneficiaries';
import { directoryRoutes } from './directory';

/** `POST /internal/<route>` for the contracts in packages/internal-api/src/identity.ts. */
export const internalRoutes = (db: Database): InternalRoutes => ({
  ...beneficiaryRoutes(db),
  ...directoryRoutes(db),
});
