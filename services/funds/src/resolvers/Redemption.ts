import type { FundsContext } from '../context';
import { canSeePayment, paymentOf } from '../domain/settlement/payment-status';
import { load } from './loaders';

export const Redemption = {
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  payment: async ({ id }: { id: string }, _: unknown, ctx: FundsContext) => {
    const row = await load(ctx).paymentOfRedemption.load(id);
    return row && canSeePayment(ctx.viewer, row) ? paymentOf(row) : null;
  },
};
