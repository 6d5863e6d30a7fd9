import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTenantStore } from '../../../lib/adapters/dynamodb/tenant-store.ts';
import type { Tenant } from '../../../lib/domain/tenant.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let store: DynamoTenantStore;

function tenant(id: string): Tenant {
  return { id, name: `Tenant ${id}`, createdAt: iso(), updatedAt: iso(), sending: { status: 'active' } };
}

beforeAll(async () => {
  store = new DynamoTenantStore(client, (await freshTables(client)).tenants);
});
afterAll(() => client.destroy());

describe('DynamoTenantStore', () => {
  it('creates once, updates and clears settings, and says when an update has nothing to update', async () => {
    const id = uniqueId('acme');
    await store.create(tenant(id));
    await expect(store.create(tenant(id))).rejects.toMatchObject({ status: 409, code: 'tenant_exists' });

    const updated = await store.update(
      id,
      { name: 'Acme', relay: { kind: 'ses', configurationSet: 'acme-set' }, ipPool: 'dedicated-1' },
      iso(1000),
    );
    expect(updated).toMatchObject({
      id,
      name: 'Acme',
      relay: { kind: 'ses', configurationSet: 'acme-set' },
      ipPool: 'dedicated-1',
      updatedAt: iso(1000),
    });
    expect(await store.get(id)).toEqual(updated);

    const cleared = await store.update(id, { relay: null, ipPool: null }, iso(2000));
    expect(cleared.relay).toBeUndefined();
    expect(cleared.ipPool).toBeUndefined();
    expect(cleared.name).toBe('Acme');

    await expect(store.update(uniqueId('ghost'), { name: 'x' }, iso())).rejects.toMatchObject({ status: 404 });
    expect(await store.get(uniqueId('ghost'))).toBeUndefined();
  });

  it('changes the sending state only when it differs, creating the record of an unknown tenant it pauses', async () => {
    const id = uniqueId('legacy');
    const paused = { status: 'paused', reason: 'bounce rate 9%', pausedAt: iso(), by: 'breaker' } as const;
    expect(await store.setSending(id, { status: 'active' }, iso())).toBe(false);
    expect(await store.setSending(id, paused, iso())).toBe(true);
    expect(await store.setSending(id, { ...paused, by: 'operator' }, iso(1))).toBe(false);
    expect(await store.get(id)).toMatchObject({ id, name: id, sending: paused });
    expect(await store.setSending(id, { status: 'active' }, iso(2))).toBe(true);
    expect(await store.setSending(id, { status: 'active' }, iso(3))).toBe(false);
    expect((await store.get(id))?.sending).toEqual({ status: 'active' });
  });

  it('lists tenants in id order, page by page', async () => {
    const fresh = new DynamoTenantStore(client, (await freshTables(client)).tenants);
    const ids = ['c', 'a', 'e', 'b', 'd'];
    for (const id of ids) await fresh.create(tenant(id));
    const first = await fresh.list({ limit: 2 });
    expect(first.tenants.map((t) => t.id)).toEqual(['a', 'b']);
    const second = await fresh.list({ limit: 2, cursor: first.cursor });
    expect(second.tenants.map((t) => t.id)).toEqual(['c', 'd']);
    const third = await fresh.list({ limit: 2, cursor: second.cursor });
    expect(third).toEqual({ tenants: [expect.objectContaining({ id: 'e' })] });
    await expect(fresh.list({ limit: 2, cursor: 'nope!' })).rejects.toMatchObject({ status: 400 });
  });
});
