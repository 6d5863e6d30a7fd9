import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ulid } from 'ulid';
import { DynamoListStore, ListExistsError } from '../../../lib/adapters/dynamodb/list-store.ts';
import { ValidationError } from '../../../lib/domain/errors.ts';
import type { MailingList } from '../../../lib/domain/mailing-list.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';
import { iso, uniqueId } from './factories.ts';

const client = dynamoClient();
let store: DynamoListStore;

beforeAll(async () => {
  store = new DynamoListStore(client, (await freshTables(client)).lists);
});
afterAll(() => client.destroy());

function list(tenant: string, extra: Partial<MailingList> = {}): MailingList {
  return { id: ulid(), tenant, name: 'Newsletter', createdAt: iso(), updatedAt: iso(), ...extra };
}

describe('DynamoListStore', () => {
  it('creates, gets and deletes a list, for its tenant only', async () => {
    const tenant = uniqueId('tenant');
    const news = list(tenant, { description: 'Monthly' });
    await store.create(news);
    expect(await store.get(tenant, news.id)).toEqual(news);
    expect(await store.get(uniqueId('tenant'), news.id)).toBeUndefined();
    expect(await store.delete(uniqueId('tenant'), news.id)).toBe(false);

    expect(await store.delete(tenant, news.id)).toBe(true);
    expect(await store.delete(tenant, news.id)).toBe(false);
    expect(await store.get(tenant, news.id)).toBeUndefined();
  });

  it('refuses a second list with the same id and keeps the first', async () => {
    const tenant = uniqueId('tenant');
    const first = list(tenant);
    await store.create(first);
    await expect(store.create({ ...first, name: 'Other' })).rejects.toBeInstanceOf(ListExistsError);
    expect((await store.get(tenant, first.id))?.name).toBe('Newsletter');
  });

  it('lists in creation (id) order, page by page, and refuses another tenant’s cursor', async () => {
    const tenant = uniqueId('tenant');
    const lists: MailingList[] = [];
    for (let i = 0; i < 5; i++) lists.push(list(tenant, { name: `L${i}` }));
    await Promise.all([...lists].reverse().map((l) => store.create(l)));
    await store.create(list(uniqueId('tenant')));

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list(tenant, { limit: 2, ...(cursor && { cursor }) });
      pages.push(page.items.map((l) => l.id));
      cursor = page.cursor;
    } while (cursor && pages.length < 10);
    expect(pages.flat()).toEqual(lists.map((l) => l.id).sort());
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);

    const { cursor: first } = await store.list(tenant, { limit: 1 });
    await expect(store.list(uniqueId('tenant'), { limit: 1, cursor: first! })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.list(tenant, { limit: 0 })).rejects.toBeInstanceOf(ValidationError);
  });
});
