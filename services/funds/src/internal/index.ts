// The internal API funds serves to other services (contracts in @mentoring/internal-api).
import type { Database } from '@mentoring/db';
import { type Contract, fundsApi } from '@mentoring/internal-api';
import { type InternalRoutes, internalRoute } from '@mentoring/subgraph-kit';
import type { z } from 'zod';
import { loadGrant } from '../domain/grants';
import { authorizePayment, capturePayment, refundPayment, voidPayment } from '../domain/payments';

/** A route for a contract: the handler's input and output are the contract's. */
function serve<I extends z.ZodType, O extends z.ZodType>(
  contract: Contract<I, O>,
  handle: (input: z.output<I>) => Promise<z.input<O>>,
) {
  return { [contract.route]: internalRoute(contract.input as z.ZodType<z.output<I>>, handle) };
}

export function internalRoutes(db: Database): InternalRoutes {
  return {
    ...serve(fundsApi.authorizePayment, (input) => authorizePayment(db, input)),
    ...serve(fundsApi.capturePayment, (input) => capturePayment(db, input)),
    ...serve(fundsApi.voidPayment, (input) => voidPayment(db, input)),
    ...serve(fundsApi.refundPayment, (input) => refundPayment(db, input)),
    ...serve(fundsApi.getGrant, async ({ grantId }) => {
      const grant = await loadGrant(db, grantId);
      return {
        id: grant.id,
        status: grant.status,
        holderUserId: grant.holderUserId,
        beneficiaryId: grant.beneficiaryId,
        programId: grant.programId,
        communityId: grant.communityId,
        amountCents: grant.amountCents,
        balanceCents: grant.balanceCents,
        eligibleCategories: grant.eligibleCategories,
        eligibleProviderIds: grant.eligibleProviderIds,
        eligibleOfferingIds: grant.eligibleOfferingIds,
        spendDeadline: grant.spendDeadline,
        expiresAt: grant.expiresAt.toISOString(),
      };
    }),
  };
}
