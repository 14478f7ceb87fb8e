// Verifies the ledger's invariants: `npm run ledger:check -w services/funds`.
// Reads DATABASE_URL (and DATA_DIR) like the service; an exact database URL
// may be given as the first argument instead. Exits 1 when an invariant fails.
import { openServiceDatabase } from '@mentoring/db';
import { baseEnv, loadEnv } from '@mentoring/subgraph-kit';
import { checkLedgerSnapshot, formatCheck } from '../domain/ledger/check';

const env = loadEnv(baseEnv);
const exactUrl = process.argv[2];
const db = await openServiceDatabase({
  service: 'funds',
  databaseUrl: env.DATABASE_URL,
  exactUrl,
  dataDir: env.DATA_DIR,
  poolSize: 1,
});
try {
  const results = await checkLedgerSnapshot(db);
  console.log(formatCheck(results));
  const failed = results.filter((r) => !r.ok).length;
  console.log(failed ? `\n${failed} invariant(s) FAILED` : '\nledger OK');
  process.exitCode = failed ? 1 : 0;
} catch (error) {
  const where =
    exactUrl ?? (env.DATABASE_URL ? `funds' database on ${env.DATABASE_URL}` : `PGlite in ${env.DATA_DIR}`);
  const missing = (error as { code?: string }).code === '42P01';
  console.error(
    missing
      ? `no funds ledger in ${where} (has the funds service run there?)`
      : `ledger check could not run on ${where}: ${(error as Error).message}`,
  );
  process.exitCode = 2;
} finally {
  await db.close();
}
