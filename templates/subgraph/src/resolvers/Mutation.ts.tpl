import { badInput, requireUser } from '@mentoring/subgraph-kit';
import type { {{Pascal}}Context } from '../context';
import { addItem } from '../db/items';

export const Mutation = {
  add{{Pascal}}Item: async (_: unknown, { name }: { name: string }, ctx: {{Pascal}}Context) => {
    const viewer = requireUser(ctx.viewer);
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200) throw badInput('A name is 1 to 200 characters long.', 'name');
    return addItem(ctx.db, { name: trimmed, createdBy: viewer.userId });
  },
};
