/**
 * Reading a key that configuration gives either as a Secrets Manager secret (in AWS) or as a
 * base64 environment variable (local mode), for the link-signing key (link-key.ts) and the
 * key that encrypts DKIM keys (domain-key.ts). Errors name the secret or the variable, never
 * the value.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../config.ts';

/** The SecretString of secret `arn`, trimmed; a ConfigError saying that `what` could not be read when the call fails. */
export async function readSecretString(arn: string, what: string, secrets?: SecretsManagerClient): Promise<string> {
  // Loaded when a key is first read, not with the function: the api reads one only for its first tracked link.
  const { getSecretString } = await import('./secrets/secret-string.ts');
  let value: string | undefined;
  try {
    value = await getSecretString(arn, secrets);
  } catch (error) {
    throw new ConfigError(`${what} in secret ${arn} could not be read: ${(error as Error).name}: ${(error as Error).message}`);
  }
  return value?.trim() ?? '';
}

/** The bytes of environment variable `name`'s value `encoded`, base64 or base64url; a ConfigError when it is neither. */
export function base64Variable(name: string, encoded: string): Buffer {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) throw new ConfigError(`environment variable ${name} must be base64`);
  return Buffer.from(encoded, encoded.includes('-') || encoded.includes('_') ? 'base64url' : 'base64');
}
