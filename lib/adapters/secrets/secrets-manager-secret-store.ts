/** SecretStore on AWS Secrets Manager: one secret per name, under a prefix the function's IAM policy is scoped to. */
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '../../ports/secret-store.ts';

/** A secret could not be read or written. Names the secret, never its value. */
export class SecretStoreError extends Error {
  constructor(
    readonly secret: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`secret ${secret} ${problem}`, options);
    this.name = 'SecretStoreError';
  }
}

/** The SecretStore port on Secrets Manager; `put` answers the secret's ARN. */
export class SecretsManagerSecretStore implements SecretStore {
  /**
   * @param client a SecretsManagerClient built once per module.
   * @param prefix prepended to every name (MAILROOM_TENANT_SECRET_PREFIX, e.g. `mailroom/tenants/`).
   */
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly prefix: string,
  ) {}

  /** PutSecretValue on the existing secret; CreateSecret the first time. */
  async put(name: string, value: string): Promise<string> {
    const id = `${this.prefix}${name}`;
    try {
      const output = await this.client.send(new PutSecretValueCommand({ SecretId: id, SecretString: value }));
      if (output.ARN) return output.ARN;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException))
        throw new SecretStoreError(id, `could not be written: ${(error as Error).name}`, { cause: error });
    }
    try {
      const created = await this.client.send(
        new CreateSecretCommand({ Name: id, SecretString: value, Description: 'mailroom: a tenant relay URL' }),
      );
      return created.ARN ?? id;
    } catch (error) {
      throw new SecretStoreError(id, `could not be created: ${(error as Error).name}`, { cause: error });
    }
  }

  async get(ref: string): Promise<string> {
    let value: string | undefined;
    try {
      ({ SecretString: value } = await this.client.send(new GetSecretValueCommand({ SecretId: ref })));
    } catch (error) {
      throw new SecretStoreError(ref, `could not be read: ${(error as Error).name}`, { cause: error });
    }
    if (value === undefined) throw new SecretStoreError(ref, 'holds no string value');
    return value;
  }
}
