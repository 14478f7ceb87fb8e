import type { BaseContext } from '@mentoring/subgraph-kit';
import type { RedemptionDeps } from './domain/deps';
import type { CodeAttempts } from './domain/rate-limit';

export interface RedemptionContext extends BaseContext {
  deps: RedemptionDeps & { attempts: CodeAttempts };
}
