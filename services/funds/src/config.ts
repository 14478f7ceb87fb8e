import { baseEnv, port, secretFromEnvOrDataDir } from '@mentoring/subgraph-kit';
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });

export const fundsEnv = baseEnv.extend({
  PORT: port(4002),
  /** Shared by services to sign internal calls (≥ 32 characters); required in production. */
  SERVICE_TOKEN_SECRET: z.string().min(32).optional(),
  /** Identity's public keys, to verify access tokens. */
  JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
  /** Identity's base URL (its internal API: beneficiaries, holders). */
  IDENTITY_URL: httpUrl.default('http://127.0.0.1:4001'),
  /** Hashes and seals claim codes (≥ 32 characters); required in production. Changing it voids issued codes. */
  CLAIM_CODE_KEY: z.string().min(32).optional(),
  /** How often the grant expiry job runs. */
  GRANT_EXPIRY_EVERY_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(10 * 60_000),
  /** Captures younger than this many days are not settled yet (refund window). */
  SETTLEMENT_HOLD_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  /** The account payouts are paid from (SEPA debtor); required in production. */
  SEPA_DEBTOR_NAME: z.string().trim().min(1).max(70).optional(),
  SEPA_DEBTOR_IBAN: z
    .string()
    .transform((v) => v.replace(/\s+/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/, 'must be an IBAN'))
    .optional(),
  SEPA_DEBTOR_BIC: z
    .string()
    .regex(/^[A-Z0-9]{8}([A-Z0-9]{3})?$/i, 'must be a BIC')
    .optional(),
});
export type FundsEnv = z.infer<typeof fundsEnv>;

/**
 * CLAIM_CODE_KEY, or in development `<DATA_DIR>/claim-code-key`, created once
 * (exclusively, like the service secret) so restarts keep issued codes valid.
 */
export const claimCodeKey = (env: Pick<FundsEnv, 'CLAIM_CODE_KEY' | 'NODE_ENV' | 'DATA_DIR'>) =>
  secretFromEnvOrDataDir('CLAIM_CODE_KEY', 'claim-code-key', env);

/** Development defaults for the SEPA debtor (a sample Italian IBAN); production must configure its own. */
export const DEV_SEPA_DEBTOR = { name: 'Mentoring (sviluppo)', iban: 'IT60X0542811101000000123456' };

export function sepaDebtor(
  env: Pick<FundsEnv, 'SEPA_DEBTOR_NAME' | 'SEPA_DEBTOR_IBAN' | 'SEPA_DEBTOR_BIC' | 'NODE_ENV'>,
) {
  if (env.NODE_ENV === 'production' && (!env.SEPA_DEBTOR_NAME || !env.SEPA_DEBTOR_IBAN))
    throw new Error('SEPA_DEBTOR_NAME and SEPA_DEBTOR_IBAN must be set in production.');
  return {
    name: env.SEPA_DEBTOR_NAME ?? DEV_SEPA_DEBTOR.name,
    iban: env.SEPA_DEBTOR_IBAN ?? DEV_SEPA_DEBTOR.iban,
    bic: env.SEPA_DEBTOR_BIC,
  };
}
