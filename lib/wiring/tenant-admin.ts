/**
 * Wiring of the tenant parts: the admin routes' dependencies (tenants, SMTP credentials, the
 * secret store of tenants' relay URLs, IP pools) for the API, and the settings the tenant admin
 * commands (bin/) read. The per-tenant relay selection for delivery is tenant-relays.ts.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoSmtpCredentialStore } from '../adapters/dynamodb/smtp-credential-store.ts';
import { DynamoTenantStore } from '../adapters/dynamodb/tenant-store.ts';
import { checkRelayUrl } from '../adapters/smtp/relay-url-check.ts';
import { ConfigError } from '../config.ts';
import { parseIpPools } from '../domain/tenant-requests.ts';
import { ENV, type Env } from '../env.ts';
import type { TenantRouteDeps } from '../handlers/tenant-routes.ts';
import type { Clock } from '../ports/clock.ts';
import type { Log } from '../ports/logger.ts';
import type { SecretStore } from '../ports/secret-store.ts';
import { SMTP_SERVICE } from '../topology.ts';
import { lazyPort } from './lazy-port.ts';

/** The operator tenant when MAILROOM_OPERATOR_TENANT is unset. */
export const DEFAULT_OPERATOR_TENANT = 'operator';
/** The secret name prefix when MAILROOM_TENANT_SECRET_PREFIX is unset. */
export const DEFAULT_TENANT_SECRET_PREFIX = 'mailroom/tenants/';

/** What the tenant parts are built from. */
export interface TenantContext {
  dynamo: DynamoDBClient;
  tables: { tenants: string; smtpCredentials: string };
  secrets?: SecretsManagerClient;
  /** Instead of Secrets Manager (local mode: a folder or memory). */
  tenantSecrets?: SecretStore;
  clock: Clock;
  log: Log;
}

/** Configuration sets a tenant's SES relay may name: the deployment's (MAILROOM_SES_CONFIGURATION_SET) and the pools' sets. */
export function configurationSets(env: Env): string[] {
  const defaultSet = env[ENV.sesConfigurationSet]?.trim();
  return [...new Set([...(defaultSet ? [defaultSet] : []), ...Object.values(ipPools(env))])];
}

/** MAILROOM_SES_IP_POOLS, checked. @throws ConfigError */
export function ipPools(env: Env): Record<string, string> {
  try {
    return parseIpPools(env[ENV.sesIpPools]);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function port(env: Env, name: string, fallback: number): number {
  const value = Number(env[name] ?? fallback);
  return Number.isInteger(value) && value > 0 && value < 65536 ? value : fallback;
}

/** The store of tenants' relay URLs: the caller's, or Secrets Manager under MAILROOM_TENANT_SECRET_PREFIX. */
export function tenantSecretStore(env: Env, context: Pick<TenantContext, 'secrets' | 'tenantSecrets'>): SecretStore {
  return (
    context.tenantSecrets ??
    // Loaded with its client on first use: only tenants' own relays and their changes read it.
    lazyPort(
      async () =>
        (await import('./secrets-manager-store.ts')).secretsManagerStore(
          context.secrets,
          env[ENV.tenantSecretPrefix]?.trim() || DEFAULT_TENANT_SECRET_PREFIX,
        ),
      { put: true, get: true },
    )
  );
}

/** The admin routes' dependencies (besides the API key store and clock the API has already). */
export function wireTenantAdmin(env: Env, context: TenantContext): Omit<TenantRouteDeps, 'apiKeys' | 'clock'> {
  const host = env[ENV.smtpHostname]?.trim();
  return {
    tenants: new DynamoTenantStore(context.dynamo, context.tables.tenants),
    smtpCredentials: new DynamoSmtpCredentialStore(context.dynamo, context.tables.smtpCredentials),
    tenantSecrets: tenantSecretStore(env, context),
    ipPools: ipPools(env),
    deploymentRelayIsSes: env[ENV.relay]?.trim() === 'ses',
    configurationSets: configurationSets(env),
    checkRelayUrl,
    operatorTenant: env[ENV.operatorTenant]?.trim() || DEFAULT_OPERATOR_TENANT,
    smtpHints: {
      ...(host && { host }),
      port: port(env, ENV.smtpPort, SMTP_SERVICE.port),
      securePort: port(env, ENV.smtpsPort, SMTP_SERVICE.securePort),
    },
  };
}
