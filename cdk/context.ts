/**
 * Reads and validates the `mailroom:*` context keys (from cdk.json or `cdk -c key=value`),
 * so a typo fails synth with the key's name instead of deploying a broken stack.
 */
import type { Node } from 'constructs';
import { TENANT_ID } from '../lib/domain/tenant.ts';
import { EVENT_SOURCES } from '../lib/topology.ts';
import { parseVerifiedDomains } from '../lib/use-cases/sender-policy.ts';
import { dedicatedIpPools, smtpService, type DedicatedIpPoolProps, type SmtpServiceSettings } from './context-services.ts';
import { frontLimits, type FrontLimits } from './context-limits.ts';
import { customDomain, type CustomDomain } from './context-domain.ts';
import {
  alarmEmail,
  alarmThresholds,
  deletionProtection,
  inboundReceiving,
  logLevel,
  type AlarmThresholds,
  type LogLevel,
} from './context-operations.ts';
import { COMPLETE_SECRET_ARN, ContextError, optionalString } from './context-values.ts';
import { webhookContext, type WebhookContext } from './context-webhooks.ts';

export { ContextError } from './context-values.ts';
export { FARGATE_SIZES, type DedicatedIpPoolProps, type SmtpServiceSettings } from './context-services.ts';
export {
  DEFAULT_API_THROTTLE,
  DEFAULT_PUBLIC_LINKS_THROTTLE,
  DEFAULT_TRACK_RESERVED_CONCURRENCY,
  type FrontLimits,
  type Throttle,
} from './context-limits.ts';
export type { CustomDomain } from './context-domain.ts';
export { DEFAULT_ALARM_THRESHOLDS, DEFAULT_LOG_LEVEL, LOG_LEVELS, type AlarmThresholds, type LogLevel } from './context-operations.ts';

/** Context keys the app understands. */
export const CONTEXT = {
  /** `ses` (default) or `smtp`. */
  relay: 'mailroom:relay',
  /** Name of an existing SES configuration set; empty or absent: the stack creates one. */
  sesConfigurationSet: 'mailroom:sesConfigurationSet',
  /** Complete ARN of an existing secret holding the SMTP URL; absent: the stack creates an empty one. */
  smtpSecretArn: 'mailroom:smtpSecretArn',
  /** Most deliver invocations the send queue may drive at once (2–1000). */
  deliverMaxConcurrency: 'mailroom:deliverMaxConcurrency',
  /** Base URL of tracking and unsubscribe links (a custom domain); absent: the API's own URL. */
  publicUrl: 'mailroom:publicUrl',
  /** Address that List-Unsubscribe offers as `mailto:` beside the HTTPS link; absent: HTTPS only. */
  unsubscribeMailto: 'mailroom:unsubscribeMailto',
  /** API requests per second each tenant may make (0: no limit). */
  apiRateLimit: 'mailroom:apiRateLimit',
  /** Recipients per second the relay takes; absent: SES's own MaxSendRate, no pacing for SMTP. */
  relayMaxRate: 'mailroom:relayMaxRate',
  /** Tenant whose `admin` keys manage every tenant; default `operator`. */
  operatorTenant: 'mailroom:operatorTenant',
  verifiedDomains: 'mailroom:verifiedDomains',
  /** SES dedicated IP pools to create (relay `ses`): names, or `{name, scalingMode}` objects. */
  dedicatedIpPools: 'mailroom:dedicatedIpPools',
  /** The SMTP submission service (ECS Fargate behind an NLB): `{enabled, certificateSecretArn, hostname, …}`. */
  smtp: 'mailroom:smtp',
  /** Requests per second across every `/v1` route: `{"rateLimit", "burstLimit"}`. */
  apiThrottle: 'mailroom:apiThrottle',
  /** Requests per second on each public link route (`/t/…`, `/u/…`), apart from the API's: `{"rateLimit", "burstLimit"}`. */
  publicLinksThrottle: 'mailroom:publicLinksThrottle',
  /** Concurrent executions reserved for the track function, which also caps it; `off`: none reserved. */
  trackReservedConcurrency: 'mailroom:trackReservedConcurrency',
  /** Thresholds of the alarms to change from their defaults: `{"sendQueueAgeSeconds": 600, …}`. */
  alarmThresholds: 'mailroom:alarmThresholds',
  /** An address the alarm topic mails; absent: subscribe to the topic yourself. */
  alarmEmail: 'mailroom:alarmEmail',
  /** The functions' POWERTOOLS_LOG_LEVEL: DEBUG, INFO (default), WARN or ERROR. */
  logLevel: 'mailroom:logLevel',
  /** Deletion protection of the tables; `false` for test stacks that must be deletable. */
  deletionProtection: 'mailroom:deletionProtection',
  /** `true`: SES email receiving brings bounces and complaints back (the return path of SMTP relays); absent: off. */
  inboundReceiving: 'mailroom:inboundReceiving',
  /** Custom domain of the API (and of tracking and unsubscribe links), e.g. `mail.example.com`. */
  domainName: 'mailroom:domainName',
  /** ACM certificate of the custom domain, in the stack's Region. */
  certificateArn: 'mailroom:certificateArn',
  /** Route 53 public hosted zone of the custom domain: the stack validates a certificate and adds an alias there. */
  hostedZoneId: 'mailroom:hostedZoneId',
  /** Name of that hosted zone, e.g. `example.com`. */
  hostedZoneName: 'mailroom:hostedZoneName',
  /** Ports an `https://` webhook URL may name: `[443, 8443]`; absent: 443 only. */
  webhookPorts: 'mailroom:webhookPorts',
  /** Webhook endpoints one tenant may register (1–1000); absent: 10. */
  webhookMaxEndpoints: 'mailroom:webhookMaxEndpoints',
} as const;

/** The operator tenant when the context does not name one. */
export const DEFAULT_OPERATOR_TENANT = 'operator';

/** API requests per second per tenant when the context does not say. */
export const DEFAULT_API_RATE_LIMIT = 50;

/** How mail leaves mailroom in AWS. */
export type RelayProps =
  | {
      kind: 'ses';
      /** Existing configuration set to send with; when absent the stack creates one. */
      configurationSetName?: string;
    }
  | {
      kind: 'smtp';
      /** Complete ARN of an existing secret whose SecretString is the SMTP URL; when absent the stack creates one. */
      secretArn?: string;
    };

/** Validated deployment settings. */
export interface MailroomContext extends FrontLimits, WebhookContext {
  relay: RelayProps;
  deliverMaxConcurrency: number;
  apiRateLimit: number;
  operatorTenant: string;
  /** MAILROOM_VERIFIED_DOMAINS; present only when set (the functions then default to `required`). */
  verifiedDomains?: string;
  /** Present only when pools are configured (relay `ses`). */
  dedicatedIpPools?: DedicatedIpPoolProps[];
  /** Present only when the SMTP service is enabled. */
  smtpService?: SmtpServiceSettings;
  relayMaxRate?: number;
  publicUrl?: string;
  unsubscribeMailto?: string;
  alarmThresholds: AlarmThresholds;
  /** Present only when set. */
  alarmEmail?: string;
  logLevel: LogLevel;
  deletionProtection: boolean;
  /** Whether SES email receiving runs (the return path). */
  inboundReceiving: boolean;
  /** Present only when `mailroom:domainName` is set. */
  customDomain?: CustomDomain;
}

/** SQS event sources accept a maximum concurrency from 2 to 1000. */
export const MIN_MAX_CONCURRENCY = 2;
export const MAX_MAX_CONCURRENCY = 1000;

// SES configuration set names: letters, digits, `_` and `-`, at most 64 characters.
const CONFIGURATION_SET_NAME = /^[A-Za-z0-9_-]{1,64}$/;
function relayProps(node: Node): RelayProps {
  const relay = optionalString(node, CONTEXT.relay) ?? 'ses';
  const configurationSetName = optionalString(node, CONTEXT.sesConfigurationSet);
  const secretArn = optionalString(node, CONTEXT.smtpSecretArn);

  if (relay === 'ses') {
    if (secretArn) throw new ContextError(CONTEXT.smtpSecretArn, `applies only when ${CONTEXT.relay} is "smtp"`);
    if (configurationSetName === undefined) return { kind: 'ses' };
    if (!CONFIGURATION_SET_NAME.test(configurationSetName)) {
      throw new ContextError(
        CONTEXT.sesConfigurationSet,
        `must be an SES configuration set name (letters, digits, "_" and "-", up to 64), got "${configurationSetName}"`,
      );
    }
    return { kind: 'ses', configurationSetName };
  }
  if (relay === 'smtp') {
    if (configurationSetName) {
      throw new ContextError(CONTEXT.sesConfigurationSet, `applies only when ${CONTEXT.relay} is "ses"`);
    }
    if (secretArn === undefined) return { kind: 'smtp' };
    if (!COMPLETE_SECRET_ARN.test(secretArn)) {
      throw new ContextError(
        CONTEXT.smtpSecretArn,
        `must be the complete ARN of a Secrets Manager secret (ending in the 6-character suffix), got "${secretArn}"`,
      );
    }
    return { kind: 'smtp', secretArn };
  }
  throw new ContextError(CONTEXT.relay, `must be "ses" or "smtp", got "${relay}"`);
}

function deliverMaxConcurrency(node: Node): number {
  const key = CONTEXT.deliverMaxConcurrency;
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return EVENT_SOURCES.deliver.defaultMaxConcurrency;
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_MAX_CONCURRENCY || value > MAX_MAX_CONCURRENCY) {
    throw new ContextError(key, `must be a whole number from ${MIN_MAX_CONCURRENCY} to ${MAX_MAX_CONCURRENCY}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function relayMaxRate(node: Node): { relayMaxRate?: number } {
  const key = CONTEXT.relayMaxRate;
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return {};
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100_000) {
    throw new ContextError(key, `must be a whole number of recipients per second from 1 to 100000, got ${JSON.stringify(raw)}`);
  }
  return { relayMaxRate: value };
}

function apiRateLimit(node: Node): number {
  const key = CONTEXT.apiRateLimit;
  const raw: unknown = node.tryGetContext(key);
  if (raw === undefined || raw === null || raw === '') return DEFAULT_API_RATE_LIMIT;
  const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100_000) {
    throw new ContextError(key, `must be a whole number from 0 (no limit) to 100000, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function operatorTenant(node: Node): string {
  const value = optionalString(node, CONTEXT.operatorTenant) ?? DEFAULT_OPERATOR_TENANT;
  if (!TENANT_ID.test(value)) {
    throw new ContextError(CONTEXT.operatorTenant, `must be a tenant id (letters, digits, "_" and "-", up to 64), got "${value}"`);
  }
  return value;
}

function verifiedDomains(node: Node): { verifiedDomains?: string } {
  const value = optionalString(node, CONTEXT.verifiedDomains);
  if (value === undefined) return {};
  if (!parseVerifiedDomains(value)) {
    throw new ContextError(CONTEXT.verifiedDomains, `must be "required", "off" or "off:<tenant>,<tenant>…", got "${value}"`);
  }
  return { verifiedDomains: value };
}

/**
 * Reads the `mailroom:*` context of a construct's tree.
 * @throws ContextError naming the key whose value is missing or malformed.
 */
export function readMailroomContext(node: Node): MailroomContext {
  const publicUrl = optionalString(node, CONTEXT.publicUrl);
  if (publicUrl !== undefined && !/^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(publicUrl)) {
    throw new ContextError(CONTEXT.publicUrl, `must be an https:// origin without a path or trailing slash, got "${publicUrl}"`);
  }
  const unsubscribeMailto = optionalString(node, CONTEXT.unsubscribeMailto);
  if (unsubscribeMailto !== undefined && !/^[^\s@<>()",;:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(unsubscribeMailto)) {
    throw new ContextError(CONTEXT.unsubscribeMailto, `must be a plain email address, got "${unsubscribeMailto}"`);
  }
  const relay = relayProps(node);
  return {
    relay,
    deliverMaxConcurrency: deliverMaxConcurrency(node),
    apiRateLimit: apiRateLimit(node),
    operatorTenant: operatorTenant(node),
    ...frontLimits(node, CONTEXT),
    ...verifiedDomains(node),
    ...dedicatedIpPools(node, CONTEXT.dedicatedIpPools, relay.kind === 'ses' ? undefined : CONTEXT.relay),
    ...smtpService(node, CONTEXT.smtp),
    ...relayMaxRate(node),
    ...(publicUrl && { publicUrl }),
    ...(unsubscribeMailto && { unsubscribeMailto }),
    alarmThresholds: alarmThresholds(node, CONTEXT.alarmThresholds),
    ...alarmEmail(node, CONTEXT.alarmEmail),
    logLevel: logLevel(node, CONTEXT.logLevel),
    deletionProtection: deletionProtection(node, CONTEXT.deletionProtection),
    inboundReceiving: inboundReceiving(node, CONTEXT.inboundReceiving),
    ...customDomain(node, CONTEXT),
    ...webhookContext(node, CONTEXT),
  };
}
