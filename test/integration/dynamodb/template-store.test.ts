import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTemplateStore, TemplateExistsError } from '../../../lib/adapters/dynamodb/template-store.ts';
import { toItem } from '../../../lib/adapters/dynamodb/marshalling.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { TemplateNameTakenError, type StoredTemplate } from '../../../lib/domain/stored-template.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let table: string;
let store: DynamoTemplateStore;

beforeAll(async () => {
  table = (await freshTables(client)).templates;
  store = new DynamoTemplateStore(client, table);
});
afterAll(() => client.destroy());

function template(tenant: string, extra: Partial<StoredTemplate> = {}): StoredTemplate {
  return {
    id: ulid(),
    tenant,
    name: `Receipt ${ulid()}`,
    subject: 'Order {{order.id}}',
    html: '<p>Hello {{name}}</p>'.repeat(50),
    text: 'Hello {{name}}',
    version: 1,
    createdAt: iso(),
    updatedAt: iso(),
    ...extra,
  };
}

const next = (current: StoredTemplate, extra: Partial<StoredTemplate> = {}): StoredTemplate => ({
  ...current,
  version: current.version + 1,
  updatedAt: iso(),
  ...extra,
});

describe('DynamoTemplateStore', () => {
  it('creates and gets a template, for its tenant only, with its bodies deflated in the item', async () => {
    const tenant = uniqueId('tenant');
    const receipt = template(tenant);
    const textOnly = template(tenant, { html: undefined });
    delete textOnly.html;
    await store.create(receipt);
    await store.create(textOnly);
    expect(await store.get(tenant, receipt.id)).toEqual(receipt);
    expect(await store.get(tenant, textOnly.id)).toEqual(textOnly);
    expect(await store.get(uniqueId('tenant'), receipt.id)).toBeUndefined();
    const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: toItem({ pk: tenant, sk: receipt.id }) }));
    expect(Item?.html).toBeUndefined();
    expect(Item?.z?.B?.length).toBeLessThan(receipt.html!.length / 5);
  });

  it('refuses a second template with the same id, and one whose name another holds in any case', async () => {
    const tenant = uniqueId('tenant');
    const first = template(tenant, { name: 'Welcome' });
    await store.create(first);
    await expect(store.create({ ...first, name: 'Other' })).rejects.toBeInstanceOf(TemplateExistsError);
    await expect(store.create(template(tenant, { name: 'WELCOME' }))).rejects.toBeInstanceOf(TemplateNameTakenError);
    await store.create(template(uniqueId('tenant'), { name: 'Welcome' }));
    expect((await store.list(tenant, { limit: 10 })).items.map((t) => t.name)).toEqual(['Welcome']);
  });

  it('replaces the version it read and no other', async () => {
    const tenant = uniqueId('tenant');
    const v1 = template(tenant);
    await store.create(v1);
    const v2 = next(v1, { subject: 'v2', html: '<p>2</p>' });
    expect(await store.replace(v1, v2)).toBe(true);
    expect(await store.get(tenant, v1.id)).toEqual(v2);
    // A replacement based on version 1 comes too late.
    expect(await store.replace(v1, next(v1, { subject: 'stale' }))).toBe(false);
    expect((await store.get(tenant, v1.id))?.subject).toBe('v2');
    expect(await store.replace(template(tenant), next(template(tenant)))).toBe(false);
  });

  it('moves the name claim on a rename, and refuses a name another holds', async () => {
    const tenant = uniqueId('tenant');
    const a = template(tenant, { name: 'Alpha' });
    const b = template(tenant, { name: 'Beta' });
    await store.create(a);
    await store.create(b);
    await expect(store.replace(b, next(b, { name: 'alpha' }))).rejects.toBeInstanceOf(TemplateNameTakenError);
    expect((await store.get(tenant, b.id))?.version).toBe(1);
    const renamed = next(a, { name: 'Gamma' });
    expect(await store.replace(a, renamed)).toBe(true);
    // Alpha is free now, Gamma is taken; a change of case keeps the claim.
    expect(await store.replace(b, next(b, { name: 'ALPHA' }))).toBe(true);
    await expect(store.create(template(tenant, { name: 'gamma' }))).rejects.toBeInstanceOf(TemplateNameTakenError);
    expect(await store.replace(renamed, next(renamed, { name: 'GAMMA' }))).toBe(true);
    await expect(store.create(template(tenant, { name: 'Gamma' }))).rejects.toBeInstanceOf(TemplateNameTakenError);
  });

  it('deletes the version it read, freeing its name', async () => {
    const tenant = uniqueId('tenant');
    const v1 = template(tenant, { name: 'Gone' });
    await store.create(v1);
    const v2 = next(v1);
    await store.replace(v1, v2);
    expect(await store.delete(v1)).toBe(false);
    expect(await store.delete(v2)).toBe(true);
    expect(await store.get(tenant, v1.id)).toBeUndefined();
    expect(await store.delete(v2)).toBe(false);
    await store.create(template(tenant, { name: 'gone' }));
  });

  it('lists in creation order, a page at a time, without bodies and without name claims', async () => {
    const tenant = uniqueId('tenant');
    const all = Array.from({ length: 5 }, (_, i) => template(tenant, { id: `01JD${String(i).padStart(22, '0')}`, name: `T${i}` }));
    for (const t of [...all].reverse()) await store.create(t);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list(tenant, { limit: 2, ...(cursor && { cursor }) });
      for (const item of page.items) {
        expect(item).not.toHaveProperty('html');
        expect(item).not.toHaveProperty('text');
        expect(item).not.toHaveProperty('z');
        expect(item).not.toHaveProperty('nameKey');
      }
      seen.push(...page.items.map((t) => t.id));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(all.map((t) => t.id));
    const first = await store.list(tenant, { limit: 2 });
    await expect(store.list(uniqueId('tenant'), { limit: 2, cursor: first.cursor! })).rejects.toBeInstanceOf(ValidationError);
  });
});
