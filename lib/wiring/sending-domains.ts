/**
 * Wiring of the sending-domain parts, shared by the functions that need them: the domain
 * routes' dependencies and the sender policy (API, SMTP service), and the DKIM-signing
 * decorator of SMTP relays (delivery).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { dnsServers, NodeDnsResolver } from '../adapters/dns/node-dns-resolver.ts';
import { domainKeyOnce, hasDomainKey } from '../adapters/domain-key.ts';
import { DynamoDomainStore } from '../adapters/dynamodb/domain-store.ts';
import { StoredDkimKeys } from '../adapters/mime/dkim-keys.ts';
import { DkimSigningRelay } from '../adapters/mime/dkim-relay.ts';
import { ConfigError, returnPathConfig } from '../config.ts';
import { ENV, type Env } from '../env.ts';
import type { Clock } from '../ports/clock.ts';
import type { EmailIdentities } from '../ports/email-identities.ts';
import type { Log } from '../ports/logger.ts';
import type { MailRelay } from '../ports/mail-relay.ts';
import type { DomainDeps } from '../use-cases/domains.ts';
import { parseVerifiedDomains, VerifiedDomainPolicy } from '../use-cases/sender-policy.ts';
import { lazyPort } from './lazy-port.ts';

/** What the sending-domain parts are built from. */
export interface SendingDomainsContext {
  dynamo: DynamoDBClient;
  /** The domains table. */
  tableName: string;
  ses?: SESv2Client;
  secrets?: SecretsManagerClient;
  clock: Clock;
  log: Log;
}

/**
 * The SES identities of sending domains, loaded with their SES client on first use: only the
 * domain routes call them, so the api's cold start does without the SESv2 client.
 */
function sesIdentities(client: SESv2Client | undefined): EmailIdentities {
  return lazyPort(async () => (await import('./ses-identities.ts')).sesEmailIdentities(client), { create: true, get: true, delete: true });
}

/**
 * The domain routes' dependencies and, unless MAILROOM_VERIFIED_DOMAINS is `off`, the sender
 * policy (sharing its cache with the routes, so a domain verified here may send at once).
 * With relay `ses`, SES identities sign (Easy DKIM); otherwise mailroom makes the keys.
 * @throws ConfigError when MAILROOM_VERIFIED_DOMAINS or MAILROOM_DNS_SERVERS is malformed.
 */
export function wireSendingDomains(
  env: Env,
  context: SendingDomainsContext,
): { sendingDomains: DomainDeps; senders?: VerifiedDomainPolicy } {
  const setting = parseVerifiedDomains(env[ENV.verifiedDomains]);
  if (!setting) throw new ConfigError(`environment variable ${ENV.verifiedDomains} must be "required", "off" or "off:<tenant>,<tenant>…"`);
  const domains = new DynamoDomainStore(context.dynamo, context.tableName);
  const servers = dnsServers(env);
  const senders = setting.required ? new VerifiedDomainPolicy(domains, context.clock, { exempt: setting.exempt }) : undefined;
  const ses = env[ENV.relay]?.trim() === 'ses';
  const returnPath = returnPathConfig(env);
  const sendingDomains: DomainDeps = {
    domains,
    dns: new NodeDnsResolver(servers ? { servers } : {}),
    ...(ses && { identities: sesIdentities(context.ses) }),
    domainKey: domainKeyOnce(env, context.secrets),
    ...(returnPath && { returnPath }),
    clock: context.clock,
    log: context.log,
    ...(senders && { onDomainChange: (tenant: string, name: string) => senders.forget(tenant, name) }),
  };
  return { sendingDomains, ...(senders && { senders }) };
}

/**
 * `relay` wrapped so that mail from domains mailroom holds a key for is DKIM-signed; `relay`
 * itself when no domain key is configured (no key can have been made then).
 */
export function withDkimSigning(env: Env, relay: MailRelay, context: Omit<SendingDomainsContext, 'ses'>): MailRelay {
  if (!hasDomainKey(env)) return relay;
  const keys = new StoredDkimKeys(
    new DynamoDomainStore(context.dynamo, context.tableName),
    domainKeyOnce(env, context.secrets),
    context.clock,
  );
  return new DkimSigningRelay(relay, keys, context.log);
}
