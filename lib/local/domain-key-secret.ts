/** The local key that encrypts DKIM private keys: made once and kept in the data folder, or in memory without one. */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key in base64 (for MAILROOM_DOMAIN_KEY_SECRET): `<dataDir>/domain-key-secret` (mode 0600), made when missing. */
export function localDomainKeySecret(dataDir?: string): string {
  const fresh = () => randomBytes(32).toString('base64');
  if (!dataDir) return fresh();
  const file = join(dataDir, 'domain-key-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = fresh();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
