import { parseCommand, required } from '../args';
import type { OpsContext } from '../context';
import { EXIT } from '../errors';
import { MARK_PAYOUT_PAID } from '../operations';
import { signedInClient } from '../session';

export const payoutUsage = 'payout paid <payoutId> --reference R   (the bank confirmation reference)';

export async function markPayoutPaid(args: string[], ctx: OpsContext): Promise<number> {
  const { values, positionals } = parseCommand(args, { reference: { type: 'string' } }, ['payoutId']);
  const bankReference = required(values.reference, 'reference');
  const api = await signedInClient(ctx.configPath, ctx.gatewayUrl);
  const { markPayoutPaid: payout } = await api<{ markPayoutPaid: { id: string; status: string } }>(
    MARK_PAYOUT_PAID,
    { id: positionals[0], bankReference },
  );
  if (ctx.json) ctx.out.json(payout);
  else ctx.out.line(`Payout ${payout.id} ${payout.status} (bank reference ${bankReference}).`);
  return EXIT.ok;
}
