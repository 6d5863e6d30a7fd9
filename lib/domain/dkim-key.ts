/**
 * mailroom's own DKIM keys: an RSA 2048 key pair per domain, the private key stored only
 * encrypted (AES-256-GCM) under a key-encryption key that lives in Secrets Manager (AWS) or
 * the data folder (local mode).
 */
import { createCipheriv, createDecipheriv, createHash, generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { EncryptedKey } from './sending-domain.ts';

const generate = promisify(generateKeyPair);

/** The key-encryption key: 32 bytes, and an id derived from it that names it on every sealed key. */
export interface KeyEncryptionKey {
  id: string;
  key: Buffer;
}

/** A fresh DKIM key pair: the public key as base64 DER SPKI (the DNS `p=` value), the private key as PEM. */
export async function generateDkimKeyPair(): Promise<{ publicKey: string; privateKeyPem: string }> {
  const { publicKey, privateKey } = await generate('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { publicKey: publicKey.toString('base64'), privateKeyPem: privateKey };
}

/** A key-encryption key from 32 bytes; its id is a short hash, so it reveals nothing of the key. */
export function keyEncryptionKey(key: Buffer): KeyEncryptionKey {
  if (key.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  return { id: `kek-${createHash('sha256').update('mailroom domain key id').update(key).digest('hex').slice(0, 12)}`, key };
}

/**
 * Encrypts a private key. `context` (tenant and domain) is bound as additional data, so a
 * sealed key copied onto another domain's record does not decrypt.
 */
export function sealPrivateKey(kek: KeyEncryptionKey, privateKeyPem: string, context: string): EncryptedKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(privateKeyPem, 'utf8'), cipher.final()]);
  return {
    keyId: kek.id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/**
 * Decrypts a sealed private key.
 * @throws Error when it was sealed under another key or for another context, or was altered.
 */
export function openPrivateKey(kek: KeyEncryptionKey, sealed: EncryptedKey, context: string): string {
  if (sealed.keyId !== kek.id) throw new Error(`the DKIM key was sealed under key ${sealed.keyId}, not ${kek.id}`);
  const decipher = createDecipheriv('aes-256-gcm', kek.key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

/** The additional data that binds a sealed key to its tenant and domain. */
export function keyContext(tenant: string, domain: string): string {
  return `mailroom-dkim:${tenant}:${domain}`;
}
