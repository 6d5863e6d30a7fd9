/** Tenants in memory. */
import { ConflictError, NotFoundError } from '../../../lib/domain/errors.ts';
import type { SendingState, Tenant } from '../../../lib/domain/tenant.ts';
import type { TenantPatch, TenantStore } from '../../../lib/ports/tenant-store.ts';

/** A tenant record with `sending`, dated `updatedAt` (creation 2026-01-01). */
export function tenant(id: string, sending: SendingState, updatedAt = '2026-01-01T00:00:00.000Z'): Tenant {
  return { id, name: id, createdAt: '2026-01-01T00:00:00.000Z', updatedAt, sending };
}

/** A {@link TenantStore} in memory; `reads` counts `get` calls, `failing` makes them throw. */
export class MemoryTenantStore implements TenantStore {
  readonly tenants = new Map<string, Tenant>();
  reads = 0;
  failing = false;

  constructor(...tenants: Tenant[]) {
    for (const t of tenants) this.tenants.set(t.id, structuredClone(t));
  }

  async get(id: string): Promise<Tenant | undefined> {
    this.reads++;
    if (this.failing) throw new Error('ProvisionedThroughputExceededException');
    const found = this.tenants.get(id);
    return found && structuredClone(found);
  }

  async create(t: Tenant): Promise<void> {
    if (this.tenants.has(t.id)) throw new ConflictError('tenant_exists', `A tenant with id "${t.id}" exists already.`);
    this.tenants.set(t.id, structuredClone(t));
  }

  /** Pages in id order; the cursor is the last id of the page before. */
  async list(options: { limit: number; cursor?: string }): Promise<{ tenants: Tenant[]; cursor?: string }> {
    const all = [...this.tenants.values()]
      .filter((t) => options.cursor === undefined || t.id > options.cursor)
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const tenants = all.slice(0, options.limit).map((t) => structuredClone(t));
    return all.length > tenants.length ? { tenants, cursor: tenants.at(-1)!.id } : { tenants };
  }

  async update(id: string, patch: TenantPatch, at: string): Promise<Tenant> {
    const found = this.tenants.get(id);
    if (!found) throw new NotFoundError('Tenant');
    if (patch.name !== undefined) found.name = patch.name;
    if (patch.relay === null) delete found.relay;
    else if (patch.relay !== undefined) found.relay = patch.relay;
    if (patch.ipPool === null) delete found.ipPool;
    else if (patch.ipPool !== undefined) found.ipPool = patch.ipPool;
    found.updatedAt = at;
    return structuredClone(found);
  }

  /** As the port says: only a change of status is written, and pausing an unknown tenant creates it. */
  async setSending(id: string, state: SendingState, at: string): Promise<boolean> {
    const found = this.tenants.get(id);
    if (found?.sending.status === state.status || (!found && state.status === 'active')) return false;
    this.tenants.set(id, { ...(found ?? { id, name: id, createdAt: at }), sending: state, updatedAt: at });
    return true;
  }
}
