/**
 * mailroom's own DKIM keys: an RSA 2048 key pair per domain, the private key stored only
 * encrypted (AES-256-GCM) under a key-encryption key that lives in Secrets Manager (AWS) or
 * the data folder (local mode).
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { openSecret, sealSecret, type KeyEncryptionKey } from './sealed-secret.ts';
import type { EncryptedKey } from './sending-domain.ts';

export { keyEncryptionKey, type KeyEncryptionKey } from './sealed-secret.ts';

const generate = promisify(generateKeyPair);

/** A fresh DKIM key pair: the public key as base64 DER SPKI (the DNS `p=` value), the private key as PEM. */
export async function generateDkimKeyPair(): Promise<{ publicKey: string; privateKeyPem: string }> {
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey: publicKey.toString('base64'), privateKeyPem: privateKey };
}

/**
 * Encrypts a private key. `context` (tenant and domain) is bound as additional data, so a
 * sealed key copied onto another domain's record does not decrypt.
 */
export function sealPrivateKey(kek: KeyEncryptionKey, privateKeyPem: string, context: string): EncryptedKey {
  return sealSecret(kek, privateKeyPem, context);
}

/**
 * Decrypts a sealed private key.
 * @throws Error when it was sealed under another key or for another context, or was altered.
 */
export function openPrivateKey(kek: KeyEncryptionKey, sealed: EncryptedKey, context: string): string {
  if (sealed.keyId !== kek.id) throw new Error(`the DKIM key was sealed under key ${sealed.keyId}, not ${kek.id}`);
  return openSecret(kek, sealed, context);
}

/** The additional data that binds a sealed key to its tenant and domain. */
export function keyContext(tenant: string, domain: string): string {
  return `mailroom-dkim:${tenant}:${domain}`;
}
