// The two identity internal routes notifications calls, as this service reads them.
// Identity serves them under these names (see packages/internal-api/src/identity.ts);
// the shapes here only require what a notification needs and tolerate extra fields.
import { contract } from '@mentoring/internal-api';
import { z } from 'zod';

const ids = z.object({ ids: z.array(z.string().min(1).max(100)).max(500) });

/** Users by id (unknown ids left out): where and how to write to them. */
export const getUsers = contract(
  'identity',
  'getUsers',
  ids,
  z.array(
    z.looseObject({
      id: z.string(),
      email: z.string(),
      displayName: z.string(),
      locale: z.string(),
    }),
  ),
);

/** Organizations by id (unknown ids left out); `email` is null when none was given. */
export const getOrganizations = contract(
  'identity',
  'getOrganizations',
  ids,
  z.array(
    z.looseObject({
      id: z.string(),
      name: z.string(),
      email: z.string().nullable(),
    }),
  ),
);
