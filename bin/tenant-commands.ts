/**
 * The admin command line's tenant commands: tenants, API keys, SMTP credentials, relays, IP
 * pools, pause and resume. Each reads its table from `--table` or the variable the functions
 * use, and `--endpoint` points it at DynamoDB Local (local mode's: signed with the key of its
 * data folder), `--local` at local mode itself. Secrets (tenant relay URLs) go to Secrets
 * Manager under MAILROOM_TENANT_SECRET_PREFIX, or to local mode's folder (`--secrets-dir`, or
 * with `--local` the data folder's).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoApiKeyStore } from '../lib/adapters/dynamodb/api-key-store.ts';
import { DynamoSmtpCredentialStore } from '../lib/adapters/dynamodb/smtp-credential-store.ts';
import { DynamoTenantStore } from '../lib/adapters/dynamodb/tenant-store.ts';
import { FolderSecretStore } from '../lib/adapters/secrets/folder-secret-store.ts';
import { checkRelayUrl } from '../lib/adapters/smtp/relay-url-check.ts';
import { parseTenantInput, type TenantPatchRequest } from '../lib/domain/tenant-requests.ts';
import { TENANT_ID } from '../lib/domain/tenant.ts';
import { ENV } from '../lib/env.ts';
import { adminDynamoConfig } from '../lib/local/dynamodb-credentials.ts';
import { systemClock as clock } from '../lib/ports/clock.ts';
import { listApiKeys, revokeApiKey } from '../lib/use-cases/api-keys.ts';
import { issueSmtpCredential, listSmtpCredentials, revokeSmtpCredential } from '../lib/use-cases/smtp-credentials.ts';
import { createTenant, pauseTenant, resumeTenant, tenantView, updateTenant } from '../lib/use-cases/tenants.ts';
import { configurationSets, ipPools, tenantSecretStore } from '../lib/wiring/tenant-admin.ts';
import type { Command } from './cli.ts';
import { localSecrets } from './local-target.ts';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

function args(argv: string[], options: Options): Values {
  return parseArgs({ args: argv, options: { ...options, table: { type: 'string' }, endpoint: { type: 'string' } }, strict: true })
    .values as Values;
}

function text(values: Values, name: string, required = true): string | undefined {
  const value = values[name];
  if (typeof value === 'string' && value.trim()) return value.trim();
  if (required) throw new UsageError(`--${name} is required`);
  return undefined;
}

function tenantId(values: Values): string {
  const id = text(values, 'tenant')!;
  if (!TENANT_ID.test(id)) throw new UsageError('--tenant takes letters, digits, _ and -, at most 64');
  return id;
}

async function withTable<T>(values: Values, variable: string, run: (client: DynamoDBClient, table: string) => Promise<T>): Promise<T> {
  const table = text(values, 'table', false) ?? process.env[variable];
  if (!table) throw new UsageError(`--table is required, or set ${variable}`);
  const endpoint = text(values, 'endpoint', false);
  const client = new DynamoDBClient(adminDynamoConfig(endpoint));
  try {
    return await run(client, table);
  } finally {
    client.destroy();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function tenantDeps(client: DynamoDBClient, table: string, values: Values) {
  const dir = text(values, 'secrets-dir', false) ?? localSecrets.dir;
  const env = process.env;
  return {
    tenants: new DynamoTenantStore(client, table),
    tenantSecrets: dir ? new FolderSecretStore(dir) : tenantSecretStore(env, {}),
    ipPools: ipPools(env),
    // The CLI runs outside the functions: without MAILROOM_RELAY it assumes SES, the stack's default.
    deploymentRelayIsSes: (env[ENV.relay]?.trim() || 'ses') === 'ses',
    // A tenant's own configuration set must be one the deployment sends through: set MAILROOM_SES_CONFIGURATION_SET (stack output).
    configurationSets: configurationSets(env),
    checkRelayUrl,
    clock,
  };
}

const page = { limit: 1000 };

/** The commands, by name. */
export const tenantCommands: Record<string, Command> = {
  'create-tenant': {
    summary: 'Create a tenant (an account that sends through mailroom)',
    usage: '--id <id> --name <name> [--table <TenantsTableName>]',
    run: async (argv) => {
      const values = args(argv, { id: { type: 'string' }, name: { type: 'string' } });
      const input = parseTenantInput({ id: text(values, 'id'), name: text(values, 'name') });
      await withTable(values, ENV.tenantsTable, async (client, table) =>
        print(tenantView(await createTenant({ tenants: new DynamoTenantStore(client, table), clock }, input))),
      );
    },
  },
  'list-keys': {
    summary: "List a tenant's API keys, revoked ones included",
    usage: '--tenant <id> [--table <ApiKeysTableName>]',
    run: async (argv) => {
      const values = args(argv, { tenant: { type: 'string' } });
      const tenant = tenantId(values);
      await withTable(values, ENV.apiKeysTable, async (client, table) => {
        const keys = new DynamoApiKeyStore(client, table);
        for (
          let result = await listApiKeys({ apiKeys: keys }, tenant, page);
          ;
          result = await listApiKeys({ apiKeys: keys }, tenant, { ...page, cursor: result.cursor! })
        ) {
          for (const key of result.items)
            process.stdout.write(
              `${key.id}  ${key.prefix}…  ${key.scopes.join(',')}  created ${key.createdAt}${key.revokedAt ? `  revoked ${key.revokedAt}` : ''}${key.description ? `  ${key.description}` : ''}\n`,
            );
          if (!result.cursor) break;
        }
      });
    },
  },
  'revoke-key': {
    summary: 'Revoke an API key: it answers 401 from the next request on',
    usage: '--tenant <id> --key <key id> [--table <ApiKeysTableName>]',
    run: async (argv) => {
      const values = args(argv, { tenant: { type: 'string' }, key: { type: 'string' } });
      const tenant = tenantId(values);
      const keyId = text(values, 'key')!;
      await withTable(values, ENV.apiKeysTable, async (client, table) => {
        const revoked = await revokeApiKey({ apiKeys: new DynamoApiKeyStore(client, table), clock }, tenant, keyId);
        process.stderr.write(`API key ${revoked.id} of tenant "${tenant}" revoked at ${revoked.revokedAt}.\n`);
      });
    },
  },
  'create-smtp-credential': {
    summary: 'Issue an SMTP credential; prints the username and password once',
    usage: '--tenant <id> [--description <text>] [--table <SmtpCredentialsTableName>]',
    run: async (argv) => {
      const values = args(argv, { tenant: { type: 'string' }, description: { type: 'string' } });
      const tenant = tenantId(values);
      const description = text(values, 'description', false);
      await withTable(values, ENV.smtpCredentialsTable, async (client, table) => {
        const issued = await issueSmtpCredential(
          { credentials: new DynamoSmtpCredentialStore(client, table), clock },
          tenant,
          description ? { description } : {},
        );
        print({ username: issued.username, password: issued.password });
        process.stderr.write(`SMTP credential for tenant "${tenant}". The password is shown only now; mailroom keeps its hash.\n`);
      });
    },
  },
  'list-smtp-credentials': {
    summary: "List a tenant's SMTP credentials, revoked ones included",
    usage: '--tenant <id> [--table <SmtpCredentialsTableName>]',
    run: async (argv) => {
      const values = args(argv, { tenant: { type: 'string' } });
      const tenant = tenantId(values);
      await withTable(values, ENV.smtpCredentialsTable, async (client, table) => {
        const credentials = new DynamoSmtpCredentialStore(client, table);
        for (
          let result = await listSmtpCredentials({ credentials }, tenant, page);
          ;
          result = await listSmtpCredentials({ credentials }, tenant, { ...page, cursor: result.cursor! })
        ) {
          for (const c of result.items)
            process.stdout.write(
              `${c.username}  created ${c.createdAt}${c.revokedAt ? `  revoked ${c.revokedAt}` : ''}${c.description ? `  ${c.description}` : ''}\n`,
            );
          if (!result.cursor) break;
        }
      });
    },
  },
  'revoke-smtp-credential': {
    summary: 'Revoke an SMTP credential',
    usage: '--username <mr_smtp_…> [--table <SmtpCredentialsTableName>]',
    run: async (argv) => {
      const values = args(argv, { username: { type: 'string' } });
      const username = text(values, 'username')!;
      await withTable(values, ENV.smtpCredentialsTable, async (client, table) => {
        const revoked = await revokeSmtpCredential({ credentials: new DynamoSmtpCredentialStore(client, table), clock }, username);
        process.stderr.write(`SMTP credential ${revoked.username} of tenant "${revoked.tenant}" revoked at ${revoked.revokedAt}.\n`);
      });
    },
  },
  'set-relay': {
    summary: "Give a tenant its own relay, or the deployment's again",
    usage:
      '--tenant <id> (--smtp-url <url> | --ses [--ses-configuration-set <name>] | --default) [--table <TenantsTableName>] [--secrets-dir <folder>]',
    help: "An SMTP URL is kept as a secret: in Secrets Manager under MAILROOM_TENANT_SECRET_PREFIX, or in a folder (--secrets-dir; with --local, the data folder's secrets/ as local mode keeps them). SES needs the deployment's relay to be ses (MAILROOM_RELAY).",
    run: async (argv) => {
      const values = args(argv, {
        tenant: { type: 'string' },
        'smtp-url': { type: 'string' },
        ses: { type: 'boolean' },
        'ses-configuration-set': { type: 'string' },
        default: { type: 'boolean' },
        'secrets-dir': { type: 'string' },
      });
      const tenant = tenantId(values);
      const url = text(values, 'smtp-url', false);
      const set = text(values, 'ses-configuration-set', false);
      const ses = values.ses === true || set !== undefined;
      if ([url !== undefined, ses, values.default === true].filter(Boolean).length !== 1)
        throw new UsageError('set-relay takes one of --smtp-url, --ses [--ses-configuration-set], --default');
      const relay: TenantPatchRequest['relay'] =
        url !== undefined ? { type: 'smtp', url } : ses ? { type: 'ses', ...(set && { configurationSet: set }) } : null;
      await withTable(values, ENV.tenantsTable, async (client, table) =>
        print(tenantView(await updateTenant(tenantDeps(client, table, values), tenant, { relay }))),
      );
    },
  },
  'set-ip-pool': {
    summary: "Send a tenant's SES mail through a dedicated IP pool, or the shared one",
    usage: '--tenant <id> --pool <pool|shared> [--table <TenantsTableName>]',
    run: async (argv) => {
      const values = args(argv, { tenant: { type: 'string' }, pool: { type: 'string' } });
      const tenant = tenantId(values);
      const ipPool = text(values, 'pool')!;
      await withTable(values, ENV.tenantsTable, async (client, table) =>
        print(tenantView(await updateTenant(tenantDeps(client, table, values), tenant, { ipPool }))),
      );
    },
  },
  pause: {
    summary: "Pause a tenant's sending",
    usage: '--tenant <id> --reason <text> [--table <TenantsTableName>]',
    run: async (argv) => {
      const values = args(argv, { tenant: { type: 'string' }, reason: { type: 'string' } });
      const tenant = tenantId(values);
      const reason = text(values, 'reason')!;
      await withTable(values, ENV.tenantsTable, async (client, table) =>
        print(tenantView(await pauseTenant({ tenants: new DynamoTenantStore(client, table), clock }, tenant, reason))),
      );
    },
  },
  resume: {
    summary: "Resume a tenant's sending",
    usage: '--tenant <id> [--table <TenantsTableName>]',
    run: async (argv) => {
      const values = args(argv, { tenant: { type: 'string' } });
      const tenant = tenantId(values);
      await withTable(values, ENV.tenantsTable, async (client, table) =>
        print(tenantView(await resumeTenant({ tenants: new DynamoTenantStore(client, table), clock }, tenant))),
      );
    },
  },
};
