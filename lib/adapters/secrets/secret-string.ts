/** One GetSecretValue call, in a module of its own that configured-key.ts imports when a key is first read. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The SecretString of secret `arn`, asked of `secrets` or of a new client. */
export async function getSecretString(arn: string, secrets?: SecretsManagerClient): Promise<string | undefined> {
  const { SecretString } = await (secrets ?? new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: arn }));
  return SecretString;
}
