import type { SendingState, Tenant, TenantRelay } from '../domain/tenant.ts';

/** Settings an operator may change on a tenant. `null` clears a setting. */
export interface TenantPatch {
  name?: string;
  relay?: TenantRelay | null;
  ipPool?: string | null;
}

/** Tenants. A tenant without a record (keys made before tenants existed) is active and uses the deployment's relay. */
export interface TenantStore {
  get(id: string): Promise<Tenant | undefined>;
  /** @throws ConflictError (`tenant_exists`) when the id is taken. */
  create(tenant: Tenant): Promise<void>;
  /** A page of tenants in id order. */
  list(options: { limit: number; cursor?: string }): Promise<{ tenants: Tenant[]; cursor?: string }>;
  /** @throws NotFoundError when the tenant does not exist. */
  update(id: string, patch: TenantPatch, at: string): Promise<Tenant>;
  /**
   * Sets the sending state. Pausing a tenant without a record creates one. Answers whether the
   * state changed (pausing an already paused tenant changes nothing, so one event is emitted).
   */
  setSending(id: string, state: SendingState, at: string): Promise<boolean>;
}
