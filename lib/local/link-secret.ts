/** The local link-signing key: made once and kept in the data folder, or in memory without one. */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_LINK_KEY_BYTES } from '../domain/links.ts';

/** The key in base64 (for MAILROOM_LINK_SECRET): `<dataDir>/link-secret` (mode 0600), made when missing. */
export function localLinkSecret(dataDir?: string): string {
  const fresh = () => randomBytes(MIN_LINK_KEY_BYTES).toString('base64');
  if (!dataDir) return fresh();
  const file = join(dataDir, 'link-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = fresh();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}
