import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { DynamoSmtpCredentialStore } from '../../lib/adapters/dynamodb/smtp-credential-store.ts';
import { DynamoTenantStore } from '../../lib/adapters/dynamodb/tenant-store.ts';
import { SmtpCredentialAuthenticator } from '../../lib/use-cases/smtp-credentials.ts';
import { cliEnv, dynamoClient, freshTables } from '../support/local-aws.ts';

const run = promisify(execFile);

describe('npx mailroom tenant commands', () => {
  it('creates a tenant, gives it an SMTP relay kept as a secret file, and issues and revokes an SMTP credential', async () => {
    const client = dynamoClient();
    const tables = await freshTables(client);
    const secretsDir = await mkdtemp(join('.tmp', 'cli-secrets-'));
    const env = cliEnv();
    // tsx as a Node loader: no npx start-up for each command.
    const mailroom = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'bin/mailroom.ts', ...args, '--endpoint', inject('dynamoEndpoint')], { env });
    try {
      const created = await mailroom('create-tenant', '--id', 'acme', '--name', 'Acme', '--table', tables.tenants);
      expect(JSON.parse(created.stdout)).toMatchObject({ id: 'acme', name: 'Acme', relay: null, ip_pool: 'shared' });

      const relay = await mailroom(
        'set-relay',
        '--tenant',
        'acme',
        '--smtp-url',
        'smtps://u:top-secret@smtp.acme.test:465',
        '--table',
        tables.tenants,
        '--secrets-dir',
        secretsDir,
      );
      expect(JSON.parse(relay.stdout).relay).toEqual({ type: 'smtp', url: 'smtps://u:***@smtp.acme.test:465' });
      expect(relay.stdout + relay.stderr).not.toContain('top-secret');
      expect((await stat(join(secretsDir, 'acme__smtp-relay'))).mode & 0o777).toBe(0o600);
      expect((await new DynamoTenantStore(client, tables.tenants).get('acme'))?.relay).toMatchObject({
        kind: 'smtp',
        secret: 'local:acme/smtp-relay',
      });

      const issued = JSON.parse((await mailroom('create-smtp-credential', '--tenant', 'acme', '--table', tables.smtpCredentials)).stdout);
      const auth = new SmtpCredentialAuthenticator(new DynamoSmtpCredentialStore(client, tables.smtpCredentials));
      expect(await auth.authenticate(issued.username, issued.password)).toEqual({ tenant: 'acme', scopes: ['send'] });
      await mailroom('revoke-smtp-credential', '--username', issued.username, '--table', tables.smtpCredentials);
      expect(await auth.authenticate(issued.username, issued.password)).toBeUndefined();
    } finally {
      await rm(secretsDir, { recursive: true, force: true });
      client.destroy();
    }
  });
});
