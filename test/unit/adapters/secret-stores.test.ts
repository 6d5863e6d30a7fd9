import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { FolderSecretStore, MemorySecretStore } from '../../../lib/adapters/secrets/folder-secret-store.ts';
import { SecretsManagerSecretStore } from '../../../lib/adapters/secrets/secrets-manager-secret-store.ts';

/**
 * Secrets Manager cannot run on this machine: a stub client records the commands and answers
 * as the service does (ResourceNotFoundException for a secret that does not exist yet).
 */
function stubClient() {
  const secrets = new Map<string, string>();
  const calls: string[] = [];
  const client = {
    async send(command: unknown) {
      if (command instanceof PutSecretValueCommand) {
        calls.push(`put ${command.input.SecretId}`);
        if (!secrets.has(command.input.SecretId!)) throw new ResourceNotFoundException({ message: 'not found', $metadata: {} });
        secrets.set(command.input.SecretId!, command.input.SecretString!);
        return { ARN: `arn:aws:secretsmanager:eu-west-1:1:secret:${command.input.SecretId}-AbCdEf` };
      }
      if (command instanceof CreateSecretCommand) {
        calls.push(`create ${command.input.Name}`);
        secrets.set(command.input.Name!, command.input.SecretString!);
        return { ARN: `arn:aws:secretsmanager:eu-west-1:1:secret:${command.input.Name}-AbCdEf` };
      }
      if (command instanceof GetSecretValueCommand) {
        calls.push(`get ${command.input.SecretId}`);
        const name = command.input.SecretId!.replace(/^arn:.*:secret:/, '').replace(/-AbCdEf$/, '');
        const value = secrets.get(name);
        if (value === undefined) throw new ResourceNotFoundException({ message: 'not found', $metadata: {} });
        return { SecretString: value };
      }
      throw new Error('unexpected command');
    },
  };
  return { client: client as unknown as SecretsManagerClient, calls, secrets };
}

describe('SecretsManagerSecretStore', () => {
  it('creates the secret under the prefix the first time, then puts new values, and reads by ARN', async () => {
    const stub = stubClient();
    const store = new SecretsManagerSecretStore(stub.client, 'mailroom/tenants/');
    const arn = await store.put('acme/smtp-relay', 'smtp://a:b@h');
    expect(arn).toBe('arn:aws:secretsmanager:eu-west-1:1:secret:mailroom/tenants/acme/smtp-relay-AbCdEf');
    expect(await store.put('acme/smtp-relay', 'smtp://a:c@h')).toBe(arn);
    expect(await store.get(arn)).toBe('smtp://a:c@h');
    expect(stub.calls).toEqual([
      'put mailroom/tenants/acme/smtp-relay',
      'create mailroom/tenants/acme/smtp-relay',
      'put mailroom/tenants/acme/smtp-relay',
      `get ${arn}`,
    ]);
  });

  it('names the secret but never its value when reading fails', async () => {
    const store = new SecretsManagerSecretStore(stubClient().client, 'p/');
    await expect(store.get('p/missing')).rejects.toThrow(/secret p\/missing could not be read/);
  });
});

describe('local secret stores', () => {
  it('keeps each secret in a file only its owner can read', async () => {
    const folder = await mkdtemp(join('.tmp', 'secrets-'));
    try {
      const store = new FolderSecretStore(join(folder, 'secrets'));
      const ref = await store.put('acme/smtp-relay', 'smtp://u:p@h');
      expect(ref).toBe('local:acme/smtp-relay');
      expect(await store.get(ref)).toBe('smtp://u:p@h');
      const files = await readdir(join(folder, 'secrets'));
      expect(files).toEqual(['acme__smtp-relay']);
      expect((await stat(join(folder, 'secrets', files[0]!))).mode & 0o777).toBe(0o600);
      await expect(store.put('../../etc/passwd', 'x')).rejects.toThrow();
      await expect(store.get('local:../x')).rejects.toThrow();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('keeps secrets in memory', async () => {
    const store = new MemorySecretStore();
    expect(await store.get(await store.put('t/smtp-relay', 'v'))).toBe('v');
    await expect(store.get('local:t/other')).rejects.toThrow();
  });
});
