import { parseCommand } from '../args';
import type { OpsContext } from '../context';
import { EXIT } from '../errors';
import { LEDGER_CHECK, type LedgerCheck } from '../operations';
import { signedInClient } from '../session';

export const ledgerUsage = 'ledger check [--json]   (exits 1 when an invariant fails)';

export async function ledgerCheck(args: string[], ctx: OpsContext): Promise<number> {
  parseCommand(args, {});
  const api = await signedInClient(ctx.configPath, ctx.gatewayUrl);
  const { ledgerCheck: check } = await api<{ ledgerCheck: LedgerCheck }>(LEDGER_CHECK);
  if (ctx.json) ctx.out.json(check);
  else {
    for (const invariant of check.invariants) {
      const details = invariant.details ? `  ${invariant.details}` : '';
      ctx.out.line(`${invariant.ok ? 'OK    ' : 'FAILED'}  ${invariant.name}${details}`);
    }
    ctx.out.line(check.ok ? 'Ledger OK.' : 'Ledger check FAILED.');
  }
  return check.ok ? EXIT.ok : EXIT.failure;
}
