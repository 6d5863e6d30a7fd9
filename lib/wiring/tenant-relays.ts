/**
 * The per-tenant relay selection for delivery, apart from tenant-admin.ts so that the api,
 * which never relays, does not load the SES client for it.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoTenantStore } from '../adapters/dynamodb/tenant-store.ts';
import { SesRelay } from '../adapters/ses/ses-relay.ts';
import { TenantRelays } from '../adapters/tenant-relays.ts';
import { ENV, type Env } from '../env.ts';
import type { MailRelay } from '../ports/mail-relay.ts';
import { ipPools, tenantSecretStore, type TenantContext } from './tenant-admin.ts';
import { traced } from './telemetry.ts';

/**
 * `fallback` (the deployment's relay) wrapped so that each tenant's mail goes through its own
 * relay when it has one. `smtpRelayFor` builds every tenant SMTP relay (wrap it to DKIM-sign).
 */
export function withTenantRelays(
  env: Env,
  fallback: MailRelay,
  context: TenantContext & { ses?: SESv2Client; smtpRelayFor: (url: string) => MailRelay | Promise<MailRelay> },
): MailRelay {
  let ses = context.ses;
  const defaultSet = env[ENV.sesConfigurationSet]?.trim() || undefined;
  return new TenantRelays({
    tenants: new DynamoTenantStore(context.dynamo, context.tables.tenants),
    fallback,
    smtpRelayFor: context.smtpRelayFor,
    sesRelayFor: (set) => new SesRelay((ses ??= traced(new SESv2Client({}))), { configurationSetName: set ?? defaultSet }),
    secrets: tenantSecretStore(env, context),
    ipPools: ipPools(env),
    deploymentRelayIsSes: env[ENV.relay]?.trim() === 'ses',
    clock: context.clock,
    log: context.log,
  });
}
