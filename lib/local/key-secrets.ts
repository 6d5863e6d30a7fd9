/**
 * Local mode's keys, in base64, for the variables AWS fills from Secrets Manager: made once and
 * kept in the data folder (mode 0600), or in memory without one.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIN_LINK_KEY_BYTES } from '../domain/links.ts';

/** `bytes` random bytes in base64, kept in `<dataDir>/<fileName>` and read from it when it exists. */
function localKey(fileName: string, bytes: number, dataDir?: string): string {
  const fresh = () => randomBytes(bytes).toString('base64');
  if (!dataDir) return fresh();
  const file = join(dataDir, fileName);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = fresh();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/** The link-signing key (for MAILROOM_LINK_SECRET): `<dataDir>/link-secret`. */
export function localLinkSecret(dataDir?: string): string {
  return localKey('link-secret', MIN_LINK_KEY_BYTES, dataDir);
}

/** The key that encrypts DKIM private keys (for MAILROOM_DOMAIN_KEY_SECRET): `<dataDir>/domain-key-secret`, 32 bytes. */
export function localDomainKeySecret(dataDir?: string): string {
  return localKey('domain-key-secret', 32, dataDir);
}

/** The key that signs local upload links (the stand-in for presigned S3 PUTs): `<dataDir>/upload-link-key`, 32 bytes. */
export function localUploadLinkKey(dataDir?: string): Buffer {
  return Buffer.from(localKey('upload-link-key', 32, dataDir), 'base64');
}
