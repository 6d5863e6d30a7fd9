/** DKIM signing of composed messages with nodemailer's signer (relaxed/relaxed, rsa-sha256). */
import type { KeyObject } from 'node:crypto';
import DKIM from 'nodemailer/lib/dkim';

/**
 * Headers the signature covers when present: the ones a reader sees and trusts, the MIME
 * structure, and List-Unsubscribe(-Post), which RFC 8058 one-click unsubscribe needs signed.
 */
export const DKIM_SIGNED_HEADERS = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'In-Reply-To',
  'References',
  'List-Id',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
].join(':');

/** A key to sign with: `d=` domain, `s=` selector and the private key (kept in memory only). */
export interface DkimSigningKey {
  domain: string;
  selector: string;
  privateKey: KeyObject;
}

/** The message with a DKIM-Signature header prepended. @throws Error when it could not be signed. */
export async function signDkim(message: Buffer, key: DkimSigningKey): Promise<Buffer> {
  const signer = new DKIM({
    domainName: key.domain,
    keySelector: key.selector,
    privateKey: key.privateKey,
    headerFieldNames: DKIM_SIGNED_HEADERS,
    cacheDir: false,
  });
  const chunks: Buffer[] = [];
  const stream = signer.sign(message);
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const signed = Buffer.concat(chunks);
  // nodemailer passes a message through unsigned when its key cannot sign: never send that as signed.
  if (signed.subarray(0, 15).toString('latin1') !== 'DKIM-Signature:') {
    throw new Error(`the message could not be DKIM-signed for ${key.domain}`);
  }
  return signed;
}
