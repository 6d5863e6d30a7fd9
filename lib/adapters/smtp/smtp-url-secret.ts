/** Reading the SMTP relay URL from AWS Secrets Manager, once at cold start. */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { smtpPoolOptions } from './smtp-url.ts';

/** The secret could not be read or does not hold an SMTP URL. Names the secret, never its value. */
export class SmtpSecretError extends Error {
  constructor(
    readonly secretArn: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`secret ${secretArn} ${problem}`, options);
    this.name = 'SmtpSecretError';
  }
}

function urlIn(secretString: string, secretArn: string): string {
  const text = secretString.trim();
  if (!text.startsWith('{')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // No cause: JSON.parse's message quotes the text, which holds the password.
    throw new SmtpSecretError(secretArn, 'holds malformed JSON (expected {"url": "smtp://…"} or the URL itself)');
  }
  const url = (parsed as { url?: unknown } | null)?.url;
  if (typeof url !== 'string') throw new SmtpSecretError(secretArn, 'holds JSON without a string "url" field');
  return url.trim();
}

/**
 * The SMTP relay URL kept in a Secrets Manager secret. The SecretString is either the URL
 * (`smtps://user:pass@host:465`) or JSON `{"url": "..."}`.
 *
 * @throws SmtpSecretError naming the secret when it cannot be read, is empty or binary, or
 *   does not hold a valid smtp:// or smtps:// URL. The message never includes the value.
 */
export async function readSmtpUrlSecret(client: SecretsManagerClient, secretArn: string): Promise<string> {
  let secretString: string | undefined;
  try {
    ({ SecretString: secretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn })));
  } catch (error) {
    throw new SmtpSecretError(secretArn, `could not be read: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
  }
  if (!secretString?.trim()) throw new SmtpSecretError(secretArn, 'is empty or binary (expected an SMTP URL in SecretString)');
  const url = urlIn(secretString, secretArn);
  if (!url) throw new SmtpSecretError(secretArn, 'holds an empty "url"');
  try {
    smtpPoolOptions(url);
  } catch (error) {
    // The URL check's message masks the password, so it may travel as the cause.
    throw new SmtpSecretError(secretArn, 'does not hold a valid smtp:// or smtps:// URL', { cause: error });
  }
  return url;
}
