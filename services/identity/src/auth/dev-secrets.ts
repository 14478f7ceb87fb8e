import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';

/**
 * Reads a file, or creates it with `make()` if missing. Two processes starting
 * at once agree on one value: creation is exclusive and the loser reads.
 */
async function readOrCreate(path: string, make: () => Promise<string>): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) {
    const value = await make();
    try {
      writeFileSync(path, value, { flag: 'wx', mode: 0o600 });
      return value;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
  // The file may have been created a moment ago by another process still writing it.
  for (let attempt = 0; ; attempt++) {
    const value = readFileSync(path, 'utf8').trim();
    if (value) return value;
    if (attempt >= 20) throw new Error(`${path} is empty; delete it to generate a new one.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Development only: an ES256 key generated once into `<dataDir>/identity/jwt-key.json` (JWK). */
export function devJwtKey(dataDir: string): Promise<string> {
  return readOrCreate(join(dataDir, 'identity', 'jwt-key.json'), async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    return JSON.stringify(await exportJWK(privateKey));
  });
}
