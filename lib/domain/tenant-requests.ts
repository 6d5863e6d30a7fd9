/**
 * Validation of the admin API's tenant, key and SMTP credential requests, and the rules that
 * tie a tenant's relay to its IP pool.
 */
import * as z from 'zod';
import { API_KEY_SCOPES, type ApiKeyScope } from './api-key.ts';
import { UnprocessableError, ValidationError } from './errors.ts';
import { parseRequest, zodProblems } from './field-problems.ts';
import { SMTP_DESCRIPTION_MAX } from './smtp-credential.ts';
import { TENANT_ID, type TenantRelay } from './tenant.ts';

/** The pool name that means "no dedicated pool". */
export const SHARED_POOL = 'shared';
const POOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const CONFIGURATION_SET = /^[A-Za-z0-9_-]{1,64}$/;
const NAME_MAX = 200;

const name = z.string().trim().min(1, 'must not be empty').max(NAME_MAX, `must be at most ${NAME_MAX} characters`);

/** `POST /v1/tenants`. */
export const TENANT_INPUT = z.strictObject({ id: z.string().regex(TENANT_ID, 'must be 1 to 64 letters, digits, _ or -'), name });

const RELAY = z.union([
  z.null(),
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('smtp'), url: z.string().min(1).max(2048) }),
    z.strictObject({
      type: z.literal('ses'),
      configuration_set: z.string().regex(CONFIGURATION_SET, 'must be an SES configuration set name').optional(),
    }),
  ]),
]);

/** `PATCH /v1/tenants/{id}`. */
export const TENANT_PATCH = z.strictObject({
  name: name.optional(),
  relay: RELAY.optional(),
  ip_pool: z.string().regex(POOL_NAME, `must be "${SHARED_POOL}" or a pool name`).optional(),
});

/** `POST /v1/tenants/{id}/keys`. */
export const KEY_INPUT = z.strictObject({
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'must name at least one scope'),
  description: z.string().max(SMTP_DESCRIPTION_MAX).optional(),
});

/** `POST /v1/tenants/{id}/smtp-credentials`. */
export const CREDENTIAL_INPUT = z.strictObject({ description: z.string().max(SMTP_DESCRIPTION_MAX).optional() });

/** `POST /v1/tenants/{id}/pause`. */
export const PAUSE_INPUT = z.strictObject({ reason: z.string().trim().min(1, 'must not be empty').max(500) });

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = parseRequest(schema, body ?? {});
  if (!parsed.success) throw new ValidationError(`The ${what} is invalid.`, zodProblems(parsed.error));
  return parsed.data;
}

/** A relay as a request names it: the SMTP URL in clear, to be stored as a secret. */
export type RelayRequest = { type: 'smtp'; url: string } | { type: 'ses'; configurationSet?: string };

/** `PATCH /v1/tenants/{id}`. */
export interface TenantPatchRequest {
  name?: string;
  /** `null`: the deployment's relay. */
  relay?: RelayRequest | null;
  /** `shared` or a dedicated pool's name. */
  ipPool?: string;
}

/** `POST /v1/tenants`. Throws ValidationError naming each field. */
export function parseTenantInput(body: unknown): { id: string; name: string } {
  return parse(TENANT_INPUT, body, 'tenant');
}

/** `PATCH /v1/tenants/{id}`. Throws ValidationError naming each field. */
export function parseTenantPatch(body: unknown): TenantPatchRequest {
  const data = parse(TENANT_PATCH, body, 'tenant settings');
  const relay = data.relay;
  return {
    ...(data.name !== undefined && { name: data.name }),
    ...(relay !== undefined && {
      relay:
        relay === null
          ? null
          : relay.type === 'smtp'
            ? { type: 'smtp', url: relay.url }
            : { type: 'ses', ...(relay.configuration_set && { configurationSet: relay.configuration_set }) },
    }),
    ...(data.ip_pool !== undefined && { ipPool: data.ip_pool }),
  };
}

/** `POST /v1/tenants/{id}/keys`. Throws ValidationError naming each field. */
export function parseKeyInput(body: unknown): { scopes: ApiKeyScope[]; description?: string } {
  const data = parse(KEY_INPUT, body, 'key');
  return { scopes: [...new Set(data.scopes)], ...(data.description !== undefined && { description: data.description }) };
}

/** `POST /v1/tenants/{id}/smtp-credentials` (the body may be empty). Throws ValidationError. */
export function parseCredentialInput(body: unknown): { description?: string } {
  return parse(CREDENTIAL_INPUT, body, 'SMTP credential');
}

/** `POST /v1/tenants/{id}/pause`. Throws ValidationError. */
export function parsePauseInput(body: unknown): { reason: string } {
  return parse(PAUSE_INPUT, body, 'pause request');
}

/**
 * MAILROOM_SES_IP_POOLS: a JSON object from pool name to the SES configuration set tied to
 * that dedicated IP pool. Empty or unset: no dedicated pools. Throws Error naming the problem.
 */
export function parseIpPools(text: string | undefined): Record<string, string> {
  if (!text?.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('MAILROOM_SES_IP_POOLS must be a JSON object {"pool": "configuration set"}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('MAILROOM_SES_IP_POOLS must be a JSON object {"pool": "configuration set"}');
  const pools: Record<string, string> = {};
  for (const [pool, set] of Object.entries(parsed)) {
    if (!POOL_NAME.test(pool) || pool === SHARED_POOL) throw new Error(`MAILROOM_SES_IP_POOLS: "${pool}" is not a usable pool name`);
    if (typeof set !== 'string' || !CONFIGURATION_SET.test(set))
      throw new Error(`MAILROOM_SES_IP_POOLS: pool "${pool}" must map to a configuration set name`);
    pools[pool] = set;
  }
  return pools;
}

/**
 * Checks a tenant's SES relay against what the deployment can send through: SES only when the
 * deployment's relay is SES (only then do the functions hold SES permissions and does the
 * stack record SES's events), and a configuration set of the tenant's own only when it is one
 * the deployment's delivery may use (`configurationSets`: its own set and the pools' sets).
 * Throws UnprocessableError (422).
 */
export function checkSesRelay(relay: TenantRelay | undefined, deploymentRelayIsSes: boolean, configurationSets: readonly string[]): void {
  if (relay?.kind !== 'ses') return;
  if (!deploymentRelayIsSes) {
    throw new UnprocessableError(
      'ses_unavailable',
      'This deployment relays through SMTP, so it holds no Amazon SES permissions and records no SES events: give the tenant an SMTP relay, or deploy with relay "ses".',
    );
  }
  if (relay.configurationSet && !configurationSets.includes(relay.configurationSet)) {
    throw new UnprocessableError(
      'unknown_configuration_set',
      `Delivery may send only through the deployment's configuration sets: ${configurationSets.join(', ') || 'none'}. Use one of them, or an IP pool (mailroom:dedicatedIpPools).`,
      { configuration_set: relay.configurationSet },
    );
  }
}

/**
 * Checks that a tenant's relay and IP pool go together: a dedicated pool exists, and only
 * applies to mail sent through SES without a configuration set of the tenant's own (the pool's
 * set decides the IPs). Throws UnprocessableError (422).
 */
export function checkRelayAndPool(
  relay: TenantRelay | undefined,
  ipPool: string | undefined,
  pools: Record<string, string>,
  deploymentRelayIsSes: boolean,
): void {
  if (ipPool === undefined) return;
  if (!Object.hasOwn(pools, ipPool)) {
    throw new UnprocessableError(
      'unknown_ip_pool',
      `No dedicated IP pool "${ipPool}" is configured (MAILROOM_SES_IP_POOLS); use "${SHARED_POOL}" or one of: ${Object.keys(pools).join(', ') || 'none'}.`,
      { ip_pool: ipPool },
    );
  }
  const sendsWithSes = relay ? relay.kind === 'ses' : deploymentRelayIsSes;
  if (!sendsWithSes) {
    throw new UnprocessableError(
      'ip_pool_needs_ses',
      'A dedicated IP pool applies only to mail sent through Amazon SES: set the relay to {"type":"ses"} or use the "shared" pool.',
      { ip_pool: ipPool },
    );
  }
  if (relay?.kind === 'ses' && relay.configurationSet) {
    throw new UnprocessableError(
      'ip_pool_conflict',
      "Choose either a configuration set of the tenant's own or a dedicated IP pool (whose configuration set is then used), not both.",
      { ip_pool: ipPool },
    );
  }
}
