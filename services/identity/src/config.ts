import { baseEnv, port } from '@mentoring/subgraph-kit';
import { z } from 'zod';

/** An unset variable and an empty one mean the same. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const identityEnv = baseEnv
  .extend({
    PORT: port(4001),
    /** The first operator, created or updated at start (both or neither). */
    OPERATOR_EMAIL: optional(z.email()),
    OPERATOR_PASSWORD: optional(z.string().min(10, 'must be at least 10 characters')),
    /** Shared by services for internal calls; in development generated into DATA_DIR when unset. */
    SERVICE_TOKEN_SECRET: optional(z.string().min(32, 'must be at least 32 characters')),
    /** The ES256 signing key: PKCS8 PEM or private JWK JSON; in development generated into DATA_DIR when unset. */
    JWT_PRIVATE_KEY: optional(z.string()),
    ACCESS_TOKEN_TTL: z
      .string()
      .regex(/^\d+(s|m|h)$/, 'a duration such as 15m, 900s or 1h')
      .default('15m'),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.OPERATOR_EMAIL) !== Boolean(env.OPERATOR_PASSWORD))
      ctx.addIssue({
        code: 'custom',
        path: [env.OPERATOR_EMAIL ? 'OPERATOR_PASSWORD' : 'OPERATOR_EMAIL'],
        message: 'OPERATOR_EMAIL and OPERATOR_PASSWORD go together',
      });
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['SERVICE_TOKEN_SECRET', 'JWT_PRIVATE_KEY'] as const)
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required in production' });
  });

export type IdentityEnv = z.infer<typeof identityEnv>;
