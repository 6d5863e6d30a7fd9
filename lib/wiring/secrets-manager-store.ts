/**
 * Tenants' secrets on Secrets Manager with its client, in a module of their own that
 * tenant-admin.ts imports when they are first used.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerSecretStore } from '../adapters/secrets/secrets-manager-secret-store.ts';
import { traced } from './telemetry.ts';

/** The store of secrets under `prefix`, on `client` or a new traced client. */
export function secretsManagerStore(client: SecretsManagerClient | undefined, prefix: string): SecretsManagerSecretStore {
  return new SecretsManagerSecretStore(client ?? traced(new SecretsManagerClient({})), prefix);
}
