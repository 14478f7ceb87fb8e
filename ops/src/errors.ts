/** Exit codes of `npm run ops`: 0 done, 1 the thing failed, 2 the command line was wrong. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The command line is wrong: exits 2 with the message and a hint to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The operation failed (API error, run FAILED, check failed): exits 1. `code` is the GraphQL `extensions.code` when there is one. */
export class OpsError extends Error {
  override name = 'OpsError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
