/**
 * Secrets mailroom keeps on behalf of tenants, encrypted at rest with AES-256-GCM under the
 * key-encryption key (Secrets Manager in AWS, the data folder in local mode): DKIM private keys
 * and webhook signing secrets. Each sealed value is bound to a context (what it belongs to), so
 * a sealed value copied onto another record does not decrypt.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { EncryptedKey } from './sending-domain.ts';

/** The key-encryption key: 32 bytes, and an id derived from it that names it on every sealed value. */
export interface KeyEncryptionKey {
  id: string;
  key: Buffer;
}

/** A key-encryption key from 32 bytes; its id is a short hash, so it reveals nothing of the key. */
export function keyEncryptionKey(key: Buffer): KeyEncryptionKey {
  if (key.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  return { id: `kek-${createHash('sha256').update('mailroom domain key id').update(key).digest('hex').slice(0, 12)}`, key };
}

/** Encrypts `plaintext`, binding `context` as additional data. */
export function sealSecret(kek: KeyEncryptionKey, plaintext: string, context: string): EncryptedKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    keyId: kek.id,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

/**
 * Decrypts a sealed value.
 * @throws Error when it was sealed under another key or for another context, or was altered.
 */
export function openSecret(kek: KeyEncryptionKey, sealed: EncryptedKey, context: string): string {
  if (sealed.keyId !== kek.id) throw new Error(`the secret was sealed under key ${sealed.keyId}, not ${kek.id}`);
  const decipher = createDecipheriv('aes-256-gcm', kek.key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}
