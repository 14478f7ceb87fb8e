import { parseCommand, required } from '../args';
import type { OpsContext } from '../context';
import { EXIT, OpsError, UsageError } from '../errors';
import { gatewayClient } from '../graphql';
import { type AuthPayload, LOG_IN, ME } from '../operations';
import { readPassword } from '../prompt';
import { saveSession } from '../session';

export const loginUsage = 'login --email E [--password P]   (no --password: prompted, or read from a pipe)';

/**
 * Logs in through `logIn`, checks `me { roles }` and stores the tokens for
 * this gateway only when the user is an operator.
 */
export async function login(args: string[], ctx: OpsContext): Promise<number> {
  const { values } = parseCommand(args, { email: { type: 'string' }, password: { type: 'string' } });
  const email = required(values.email, 'email');
  const password = values.password ?? (await readPassword(ctx.stdin, ctx.out.ask));
  if (!password) throw new UsageError('Missing password');

  const anonymous = gatewayClient(ctx.gatewayUrl);
  const { logIn } = await anonymous<{ logIn: AuthPayload }>(LOG_IN, { email, password });
  const { me } = await gatewayClient(ctx.gatewayUrl, logIn.token)<{ me: { roles: string[] } | null }>(ME);
  if (!me?.roles.includes('OPERATOR'))
    throw new OpsError(`${email} is not an operator; nothing was stored.`, 'FORBIDDEN');

  await saveSession(ctx.configPath, ctx.gatewayUrl, {
    email,
    token: logIn.token,
    refreshToken: logIn.refreshToken,
  });
  ctx.out.line(`Logged in to ${ctx.gatewayUrl} as ${email} (operator). Session stored in ${ctx.configPath}.`);
  return EXIT.ok;
}
