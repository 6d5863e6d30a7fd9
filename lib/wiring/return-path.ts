/**
 * Wiring of mailroom's return path: SMTP relays wrapped so that each recipient's copy carries a
 * VERP envelope sender, when MAILROOM_RETURN_PATH_MX says mailroom receives bounces.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ReturnPathRelay } from '../adapters/smtp/return-path-relay.ts';
import { readLinkKey } from '../adapters/link-key.ts';
import { returnPathConfig } from '../config.ts';
import { createReturnPathSigner, type ReturnPathSigner } from '../domain/return-path.ts';
import type { Env } from '../env.ts';
import type { MailRelay } from '../ports/mail-relay.ts';

/** The signer of return-path tokens (from the link-signing key), or undefined when mailroom has no return path. */
export async function returnPathSigner(env: Env, secrets?: SecretsManagerClient): Promise<ReturnPathSigner | undefined> {
  if (!returnPathConfig(env)) return undefined;
  return createReturnPathSigner(await readLinkKey(env, secrets));
}

/**
 * What wraps an SMTP relay in the return path (read once: the key is fetched here); the relay
 * itself when mailroom has no return path.
 * @throws ConfigError when the return path is on and the link-signing key cannot be read.
 */
export async function returnPathWrapper(env: Env, secrets?: SecretsManagerClient): Promise<(relay: MailRelay) => MailRelay> {
  const config = returnPathConfig(env);
  const signer = await returnPathSigner(env, secrets);
  if (!config || !signer) return (relay) => relay;
  return (relay) => new ReturnPathRelay(relay, { signer, ...(config.bounceDomain && { bounceDomain: config.bounceDomain }) });
}
