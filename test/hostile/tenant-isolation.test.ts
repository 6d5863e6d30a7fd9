/**
 * One tenant probing another's ids: tenant B asking for tenant A's message, suppression,
 * list, contact, contact import, campaign, export or stored template gets exactly what it gets for an id that does not exist
 * (same status, same body), changes nothing, and learns nothing.
 */
import fc from 'fast-check';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCampaignStore } from '../../lib/adapters/dynamodb/campaign-store.ts';
import type { CampaignRecord } from '../../lib/domain/campaign.ts';
import { apiEvent } from '../integration/api/events.ts';
import { expectWellFormed, hostileApi, runs, sendBody, type Answer, type HostileApi } from './support.ts';

let h: HostileApi;
/** Tenant A's ids. */
let ids: {
  message: string;
  list: string;
  campaign: string;
  export: string;
  suppressed: string;
  contact: string;
  import: string;
  template: string;
};

async function as(key: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const event = apiEvent(method, path, { key, ...(body !== undefined && { body }) });
  const answer = await h.api.invoke(event);
  expectWellFormed(h.api, event, answer);
  return answer;
}

beforeAll(async () => {
  h = await hostileApi();
  const message = await as(h.keyA, 'POST', '/v1/messages', sendBody());
  const list = await as(h.keyA, 'POST', '/v1/lists', { name: 'A only' });
  const contact = await as(h.keyA, 'POST', `/v1/lists/${list.body.id}/contacts`, { email: 'member@example.com' });
  const suppression = await as(h.keyA, 'PUT', '/v1/suppressions/secret%40example.com');
  const exported = await as(h.keyA, 'POST', '/v1/exports', { type: 'sends', from: '2026-11-01', to: '2026-11-02' });
  const imported = await h.api.invoke(
    apiEvent('POST', `/v1/lists/${list.body.id}/contacts/import`, {
      key: h.keyA,
      body: { contacts: [{ email: 'imported@example.com' }] },
      headers: { prefer: 'respond-async' },
    }),
  );
  const template = await as(h.keyA, 'POST', '/v1/templates', { name: 'A only', subject: 'Secret {{x}}', text: 'secret' });
  expect([message.status, list.status, contact.status, suppression.status, exported.status, imported.status, template.status]).toEqual([
    202, 201, 201, 200, 202, 202, 201,
  ]);
  // Campaigns need the link-signing key to be created through the API; this one is written
  // straight into the store, as the API would have.
  const campaign: CampaignRecord = {
    id: ulid(),
    tenant: 'tenant-a',
    listId: list.body.id,
    from: 'orders@shop.example',
    replyTo: [],
    subject: 'Hi',
    text: 'Hello',
    tags: {},
    tracking: { opens: false, clicks: false },
    status: 'sent',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    publicUrl: 'https://mail.shop.example',
    progress: { contacts: 0, queued: 0, skipped_unsubscribed: 0, skipped_suppressed: 0, failed: 0 },
  };
  await new DynamoCampaignStore(h.api.dynamo, h.api.tables.campaigns).create(campaign);
  expect((await as(h.keyA, 'GET', `/v1/campaigns/${campaign.id}`)).status).toBe(200);
  ids = {
    message: message.body.id,
    list: list.body.id,
    campaign: campaign.id,
    export: exported.body.id,
    import: imported.body.id,
    suppressed: 'secret@example.com',
    contact: 'member@example.com',
    template: template.body.id,
  };
});
afterAll(() => h.api.close());

const same = (answer: Answer) => ({ status: answer.status, body: answer.body });

/** Requests naming one of A's ids, and the same request naming an id nobody has. */
const probes: [string, string, () => string, () => string, unknown?][] = [
  ['GET', 'message', () => `/v1/messages/${ids.message}`, () => `/v1/messages/${ulid()}`],
  ['POST', 'message cancel', () => `/v1/messages/${ids.message}/cancel`, () => `/v1/messages/${ulid()}/cancel`],
  ['GET', 'suppression', () => `/v1/suppressions/${encodeURIComponent(ids.suppressed)}`, () => '/v1/suppressions/nobody%40example.com'],
  ['DELETE', 'suppression', () => `/v1/suppressions/${encodeURIComponent(ids.suppressed)}`, () => '/v1/suppressions/nobody%40example.com'],
  ['GET', 'list', () => `/v1/lists/${ids.list}`, () => `/v1/lists/${ulid()}`],
  ['DELETE', 'list', () => `/v1/lists/${ids.list}`, () => `/v1/lists/${ulid()}`],
  ['GET', 'list stats', () => `/v1/lists/${ids.list}/stats`, () => `/v1/lists/${ulid()}/stats`],
  ['GET', 'list contacts', () => `/v1/lists/${ids.list}/contacts`, () => `/v1/lists/${ulid()}/contacts`],
  [
    'POST',
    'list contacts',
    () => `/v1/lists/${ids.list}/contacts`,
    () => `/v1/lists/${ulid()}/contacts`,
    { email: 'intruder@example.com' },
  ],
  [
    'POST',
    'list import',
    () => `/v1/lists/${ids.list}/contacts/import`,
    () => `/v1/lists/${ulid()}/contacts/import`,
    { contacts: [{ email: 'intruder@example.com' }] },
  ],
  [
    'GET',
    'contact',
    () => `/v1/lists/${ids.list}/contacts/${encodeURIComponent(ids.contact)}`,
    () => `/v1/lists/${ulid()}/contacts/${encodeURIComponent(ids.contact)}`,
  ],
  [
    'PATCH',
    'contact',
    () => `/v1/lists/${ids.list}/contacts/${encodeURIComponent(ids.contact)}`,
    () => `/v1/lists/${ulid()}/contacts/${encodeURIComponent(ids.contact)}`,
    { status: 'unsubscribed' },
  ],
  [
    'DELETE',
    'contact',
    () => `/v1/lists/${ids.list}/contacts/${encodeURIComponent(ids.contact)}`,
    () => `/v1/lists/${ulid()}/contacts/${encodeURIComponent(ids.contact)}`,
  ],
  ['GET', 'campaign', () => `/v1/campaigns/${ids.campaign}`, () => `/v1/campaigns/${ulid()}`],
  ['GET', 'campaign stats', () => `/v1/campaigns/${ids.campaign}/stats`, () => `/v1/campaigns/${ulid()}/stats`],
  ['GET', 'export', () => `/v1/exports/${ids.export}`, () => `/v1/exports/${ulid()}`],
  [
    'GET',
    'contact import',
    () => `/v1/lists/${ids.list}/contacts/imports/${ids.import}`,
    () => `/v1/lists/${ids.list}/contacts/imports/${ulid()}`,
  ],
  ['GET', 'template', () => `/v1/templates/${ids.template}`, () => `/v1/templates/${ulid()}`],
  ['PUT', 'template', () => `/v1/templates/${ids.template}`, () => `/v1/templates/${ulid()}`, { name: 'Mine', subject: 's', text: 't' }],
  ['DELETE', 'template', () => `/v1/templates/${ids.template}`, () => `/v1/templates/${ulid()}`],
  ['POST', 'template render', () => `/v1/templates/${ids.template}/render`, () => `/v1/templates/${ulid()}/render`, { data: { x: 1 } }],
];

describe("tenant B on tenant A's ids", () => {
  it.each(probes)('%s %s answers exactly as for a missing id', async (method, _what, theirs, missing, body) => {
    const probe = await as(h.keyB, method, theirs(), body);
    expect(probe.status, probe.text).toBe(404);
    expect(same(probe)).toEqual(same(await as(h.keyB, method, missing(), body)));
  });

  it("answers a send naming A's template exactly as one naming a template nobody has", async () => {
    const naming = (id: string) => sendBody({ subject: undefined, text: undefined, template: { id, data: { x: 1 } } });
    const probe = await as(h.keyB, 'POST', '/v1/messages', naming(ids.template));
    expect(probe.status, probe.text).toBe(404);
    expect(same(probe)).toEqual(same(await as(h.keyB, 'POST', '/v1/messages', naming(ulid()))));
  });

  it("leaves A's data as it was", async () => {
    const message = await as(h.keyA, 'GET', `/v1/messages/${ids.message}`);
    expect(message.status).toBe(200);
    expect(message.body.status).not.toBe('canceled');
    expect((await as(h.keyA, 'GET', `/v1/suppressions/${encodeURIComponent(ids.suppressed)}`)).status).toBe(200);
    expect((await as(h.keyA, 'GET', `/v1/lists/${ids.list}`)).status).toBe(200);
    const contact = await as(h.keyA, 'GET', `/v1/lists/${ids.list}/contacts/${encodeURIComponent(ids.contact)}`);
    expect(contact.status).toBe(200);
    expect(contact.body.status).not.toBe('unsubscribed');
    const contacts = await as(h.keyA, 'GET', `/v1/lists/${ids.list}/contacts`);
    expect(JSON.stringify(contacts.body)).not.toContain('intruder@example.com');
    expect((await as(h.keyA, 'GET', `/v1/exports/${ids.export}`)).status).toBe(200);
    expect((await as(h.keyA, 'GET', `/v1/templates/${ids.template}`)).body).toMatchObject({ name: 'A only', version: 1 });
  });

  it("shows none of A's items in B's listings", async () => {
    for (const path of ['/v1/suppressions', '/v1/lists', '/v1/campaigns', '/v1/templates', '/v1/messages']) {
      const answer = await as(h.keyB, 'GET', path);
      expect(answer.status).toBe(200);
      for (const secret of [ids.suppressed, ids.list, ids.campaign, ids.template, ids.message]) expect(answer.text).not.toContain(secret);
    }
  });

  it("finds nothing of A's with a cursor forged from A's keys", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/v1/suppressions',
          '/v1/lists',
          '/v1/campaigns',
          '/v1/templates',
          `/v1/lists/${ids.list}/contacts`,
          '/v1/messages',
        ),
        fc
          .oneof(
            fc.constantFrom(
              JSON.stringify({ pk: 'tenant-a', sk: 'secret@example.com' }),
              JSON.stringify({ tenant: 'tenant-a', email: 'a' }),
              JSON.stringify({ pk: 'tenant-a#x', id: ids.list }),
              JSON.stringify({ pk: 'tenant-a', sk: '0' }),
              JSON.stringify({ pk: 'tenant-a#name', sk: 'a' }),
              JSON.stringify({ q: 'AAAAAAAAAAAAAAAA', s: [[ids.message, '#', 'tenant-a', new Date().toISOString()]] }),
            ),
            fc.json({ maxDepth: 2 }),
          )
          .map((text) => Buffer.from(text).toString('base64url')),
        async (path, cursor) => {
          const event = apiEvent('GET', path, { key: h.keyB, query: { cursor } });
          const answer = await h.api.invoke(event);
          expectWellFormed(h.api, event, answer);
          for (const secret of [ids.suppressed, ids.list, ids.campaign, ids.contact, ids.template, ids.message])
            expect(answer.text).not.toContain(secret);
        },
      ),
      { numRuns: runs(60) },
    );
  });
});
