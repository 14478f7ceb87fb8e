// Redemption.payment: where a redemption's money is, and who may see it.
import { isOperator, type Viewer } from '@mentoring/subgraph-kit';
import type { PaymentRow } from '../../db/settlement';

export type PaymentStatus = 'AUTHORIZED' | 'CAPTURED' | 'SETTLED' | 'VOIDED' | 'REFUNDED';

export interface Payment {
  status: PaymentStatus;
  /** The live payout holding the capture (pending approval, approved or paid). */
  payoutId: string | null;
}

/** SETTLED = captured and in an APPROVED or PAID payout. */
export function paymentOf(row: PaymentRow): Payment {
  if (row.resolution === 'VOIDED') return { status: 'VOIDED', payoutId: null };
  if (row.resolution !== 'POSTED') return { status: 'AUTHORIZED', payoutId: null };
  if (row.refunded) return { status: 'REFUNDED', payoutId: null };
  const settled = row.payoutStatus === 'APPROVED' || row.payoutStatus === 'PAID';
  return { status: settled ? 'SETTLED' : 'CAPTURED', payoutId: row.payoutId };
}

/** Operators, the grant's holder and the staff of the provider paid. */
export function canSeePayment(viewer: Viewer | null, row: PaymentRow): boolean {
  if (!viewer) return false;
  if (isOperator(viewer)) return true;
  if (row.holderUserId !== null && row.holderUserId === viewer.userId) return true;
  return row.providerId !== null && viewer.memberships.some((m) => m.organizationId === row.providerId);
}
