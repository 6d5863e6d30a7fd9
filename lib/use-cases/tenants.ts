/** Tenants through the admin API and CLI: create, read, list, change relay and IP pool, pause and resume. */
import { NotFoundError } from '../domain/errors.ts';
import { checkRelayAndPool, checkSesRelay, SHARED_POOL, type TenantPatchRequest } from '../domain/tenant-requests.ts';
import { TENANT_ID, type Tenant, type TenantRelay } from '../domain/tenant.ts';
import type { Clock } from '../ports/clock.ts';
import type { SecretStore } from '../ports/secret-store.ts';
import type { TenantPatch, TenantStore } from '../ports/tenant-store.ts';

/** What the tenant use cases need. */
export interface TenantDeps {
  tenants: TenantStore;
  /** Where a tenant's SMTP relay URL is kept (Secrets Manager in AWS). */
  tenantSecrets: SecretStore;
  /** Dedicated IP pools: pool name to the SES configuration set that sends through it. */
  ipPools: Record<string, string>;
  /** Whether the deployment's own relay is SES (a tenant without a relay of its own may then use a pool). */
  deploymentRelayIsSes: boolean;
  /** Configuration sets delivery may send through (the deployment's and the pools'); a tenant's own set must be one of them. */
  configurationSets: readonly string[];
  /** Checks an SMTP relay URL and answers it with the password masked; throws ValidationError. */
  checkRelayUrl: (url: string) => string;
  clock: Clock;
}

/** The secret name of a tenant's SMTP relay URL (under MAILROOM_TENANT_SECRET_PREFIX in AWS). */
export function relaySecretName(tenant: string): string {
  return `${tenant}/smtp-relay`;
}

function relayView(relay: TenantRelay | undefined) {
  if (!relay) return null;
  if (relay.kind === 'smtp') return { type: 'smtp' as const, url: relay.display ?? '(kept as a secret)' };
  return { type: 'ses' as const, configuration_set: relay.configurationSet ?? null };
}

/** A tenant as the API shows it. The SMTP relay's password never appears: the URL is masked. */
export function tenantView(tenant: Tenant) {
  const { sending } = tenant;
  return {
    id: tenant.id,
    name: tenant.name,
    relay: relayView(tenant.relay),
    ip_pool: tenant.ipPool ?? SHARED_POOL,
    sending:
      sending.status === 'active'
        ? { status: 'active' as const }
        : { status: 'paused' as const, reason: sending.reason, paused_at: sending.pausedAt, by: sending.by },
    created_at: tenant.createdAt,
    updated_at: tenant.updatedAt,
  };
}

/** The tenant, or NotFoundError (also for ids that could not name one). */
export async function requireTenant(tenants: Pick<TenantStore, 'get'>, id: string): Promise<Tenant> {
  const tenant = TENANT_ID.test(id) ? await tenants.get(id) : undefined;
  if (!tenant) throw new NotFoundError('Tenant');
  return tenant;
}

/** Creates an active tenant using the deployment's relay and the shared pool. @throws ConflictError `tenant_exists` */
export async function createTenant(deps: Pick<TenantDeps, 'tenants' | 'clock'>, input: { id: string; name: string }): Promise<Tenant> {
  const now = deps.clock.now().toISOString();
  const tenant: Tenant = { id: input.id, name: input.name, createdAt: now, updatedAt: now, sending: { status: 'active' } };
  await deps.tenants.create(tenant);
  return tenant;
}

/** A page of tenants in id order. */
export async function listTenants(deps: Pick<TenantDeps, 'tenants'>, options: { limit: number; cursor?: string }) {
  return deps.tenants.list(options);
}

/**
 * Changes a tenant's name, relay or IP pool. The relay and pool are checked together (a pool
 * needs SES; see checkRelayAndPool). An SMTP relay's URL goes to the secret store before the
 * record changes, so a record never names a secret that was not written.
 * @throws NotFoundError, ValidationError, UnprocessableError
 */
export async function updateTenant(deps: TenantDeps, id: string, request: TenantPatchRequest): Promise<Tenant> {
  const existing = await requireTenant(deps.tenants, id);
  const patch: TenantPatch = {};
  if (request.name !== undefined) patch.name = request.name;
  let smtpUrl: string | undefined;
  let relay = existing.relay;
  if (request.relay !== undefined) {
    if (request.relay === null) relay = undefined;
    else if (request.relay.type === 'ses')
      relay = { kind: 'ses', ...(request.relay.configurationSet && { configurationSet: request.relay.configurationSet }) };
    else {
      smtpUrl = request.relay.url;
      relay = { kind: 'smtp', secret: '', display: deps.checkRelayUrl(smtpUrl) };
    }
  }
  const ipPool = request.ipPool === undefined ? existing.ipPool : request.ipPool === SHARED_POOL ? undefined : request.ipPool;
  checkSesRelay(relay, deps.deploymentRelayIsSes, deps.configurationSets);
  checkRelayAndPool(relay, ipPool, deps.ipPools, deps.deploymentRelayIsSes);
  if (smtpUrl !== undefined && relay?.kind === 'smtp') relay.secret = await deps.tenantSecrets.put(relaySecretName(id), smtpUrl);
  if (request.relay !== undefined) patch.relay = relay ?? null;
  if (request.ipPool !== undefined) patch.ipPool = ipPool ?? null;
  return deps.tenants.update(id, patch, deps.clock.now().toISOString());
}

/** Pauses a tenant's sending (as the operator). A tenant without a record gets one. Answers the tenant. */
export async function pauseTenant(deps: Pick<TenantDeps, 'tenants' | 'clock'>, id: string, reason: string): Promise<Tenant> {
  if (!TENANT_ID.test(id)) throw new NotFoundError('Tenant');
  const at = deps.clock.now().toISOString();
  await deps.tenants.setSending(id, { status: 'paused', reason, pausedAt: at, by: 'operator' }, at);
  return requireTenant(deps.tenants, id);
}

/** Lets a paused tenant send again (after the reputation breaker or an operator paused it). Answers the tenant. */
export async function resumeTenant(deps: Pick<TenantDeps, 'tenants' | 'clock'>, id: string): Promise<Tenant> {
  const tenant = await requireTenant(deps.tenants, id);
  if (tenant.sending.status === 'active') return tenant;
  await deps.tenants.setSending(id, { status: 'active' }, deps.clock.now().toISOString());
  return requireTenant(deps.tenants, id);
}
