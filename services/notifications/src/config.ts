import { baseEnv, port } from '@mentoring/subgraph-kit';
import { z } from 'zod';

/** Unset and empty variables mean the same (docker-compose often passes `SMTP_URL=`). */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const notificationsEnv = baseEnv
  .extend({
    PORT: port(4005),
    /** `smtp://host:port` (or smtps://user:pass@host); unset → messages are written to `<DATA_DIR>/mail/*.eml`. */
    SMTP_URL: optional(z.url({ protocol: /^smtps?$/ })),
    MAIL_FROM: z.string().min(3).default('Mentoring <noreply@mentoring.test>'),
    /** Shared by services to sign internal calls; optional in development (see `serviceTokenSecret`). */
    SERVICE_TOKEN_SECRET: optional(z.string().min(32)),
    /** Identity's base URL (its internal API answers `getUsers` and `getOrganizations`). */
    IDENTITY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4001'),
    /** Jobs processed at the same time by this process. */
    NOTIFICATIONS_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
    /** Attempts per event before the job stays in the failed set, and the first backoff delay. */
    NOTIFICATIONS_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    NOTIFICATIONS_BACKOFF_MS: z.coerce.number().int().min(1).default(1000),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.SERVICE_TOKEN_SECRET, {
    message: 'SERVICE_TOKEN_SECRET must be set in production',
    path: ['SERVICE_TOKEN_SECRET'],
  });

export type NotificationsEnv = z.infer<typeof notificationsEnv>;
