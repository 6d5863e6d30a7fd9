/**
 * Lists and contacts through the local runtime's HTTP API: CRUD, pagination, tenant isolation
 * and scopes, imports of 10,000 contacts (JSON and CSV, run as jobs) with bad rows reported by
 * row, unsubscribes that outrank the API, and the clean-up of a deleted list. Imports as jobs
 * are covered in contact-imports.test.ts.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/contact-store.ts';
import { DynamoListStore } from '../../../lib/adapters/dynamodb/list-store.ts';
import { DynamoUnsubscribeStore } from '../../../lib/adapters/dynamodb/unsubscribe-store.ts';
import { createLinkSigner, unsubscribeUrl, type LinkContext } from '../../../lib/domain/links.ts';
import { ENV } from '../../../lib/env.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { MAX_IMPORT_BYTES } from '../../../lib/topology.ts';
import { PURGE_PAGE_SIZE, purgeListContacts } from '../../../lib/use-cases/lists.ts';
import { as, newKey } from '../../support/exports.ts';
import { memoryLog } from '../../support/fakes/index.ts';
import { call, startPipeline, type ApiAnswer } from '../../support/pipeline.ts';
import { waitFor } from '../../support/wait.ts';

let runtime: LocalRuntime;
let lists: DynamoListStore;
let contacts: DynamoContactStore;
let unsubscribes: DynamoUnsubscribeStore;
const keys: Record<string, string> = {};
const log = memoryLog();

beforeAll(async () => {
  runtime = await startPipeline({ log });
  lists = new DynamoListStore(runtime.dynamo, runtime.env[ENV.listsTable]!);
  contacts = new DynamoContactStore(runtime.dynamo, runtime.env[ENV.contactsTable]!);
  unsubscribes = new DynamoUnsubscribeStore(runtime.dynamo, runtime.env[ENV.unsubscribesTable]!);
  keys.other = await newKey(runtime, 'other', ['send', 'read']);
  keys.readOnly = await newKey(runtime, 'dev', ['read']);
});
afterAll(() => runtime?.stop());

/** A request with a raw body and content type (CSV, or bodies `call` would re-encode). */
async function send(method: string, path: string, body: string, contentType: string, key?: string): Promise<ApiAnswer> {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key ?? runtime.apiKey}`, 'content-type': contentType },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

function expectError(answer: ApiAnswer, status: number, code: string): void {
  if (answer.status >= 500) console.log(log.lines.filter((l) => l.level === 'error' || l.level === 'warn'));
  expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
}

async function newList(name = 'Newsletter'): Promise<string> {
  const created = await call(runtime, 'POST', '/v1/lists', { name });
  expect(created.status).toBe(201);
  return created.body.id;
}

const contactPath = (listId: string, email: string) => `/v1/lists/${listId}/contacts/${encodeURIComponent(email)}`;

/** Every contact of a list through GET /v1/lists/{id}/contacts, following next_cursor. */
async function allContacts(
  listId: string,
  limit = 1000,
): Promise<{ email: string; status: string; attributes: Record<string, unknown> }[]> {
  const out = [];
  let cursor: string | undefined;
  do {
    const page = await call(runtime, 'GET', `/v1/lists/${listId}/contacts?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    out.push(...page.body.data);
    cursor = page.body.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

const email = (i: number) => `user${String(i).padStart(5, '0')}@example.com`;

/** The result of an import: the answer itself (200), or for a job (202) the job once it finished. */
async function importResult(listId: string, answer: ApiAnswer): Promise<ApiAnswer> {
  if (answer.status !== 202) return answer;
  const job = await waitFor(
    async () => (await call(runtime, 'GET', `/v1/lists/${listId}/contacts/imports/${answer.body.id}`)).body,
    (body) => body?.state === 'completed' || body?.state === 'failed',
    { timeout: 120_000, interval: 200, message: `import ${answer.body.id} to finish` },
  );
  return { status: job.state === 'completed' ? 200 : 500, body: job };
}

describe('lists', () => {
  it('creates, reads, lists page by page and deletes lists', async () => {
    const created = await call(runtime, 'POST', '/v1/lists', { name: ' Weekly news ', description: 'Every Monday.' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      name: 'Weekly news',
      description: 'Every Monday.',
      created_at: expect.any(String),
      updated_at: created.body.created_at,
    });
    expect(await call(runtime, 'GET', `/v1/lists/${created.body.id}`)).toEqual({ status: 200, body: created.body });

    const more = [await newList('B'), await newList('C'), await newList('D')];
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call(runtime, 'GET', `/v1/lists?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((l: { id: string }) => l.id));
      cursor = page.body.next_cursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 20);
    expect(seen).toEqual(expect.arrayContaining([created.body.id, ...more]));
    expect(seen).toEqual([...seen].sort());

    expect((await call(runtime, 'DELETE', `/v1/lists/${created.body.id}`)).status).toBe(204);
    expectError(await call(runtime, 'GET', `/v1/lists/${created.body.id}`), 404, 'list_not_found');
    expectError(await call(runtime, 'DELETE', `/v1/lists/${created.body.id}`), 404, 'list_not_found');
    expectError(await call(runtime, 'GET', '/v1/lists/not-a-list-id'), 404, 'list_not_found');
  });

  it('refuses a bad list with every field named, and bad paging', async () => {
    const bad = await call(runtime, 'POST', '/v1/lists', { name: 'a\r\nb', description: 5, colour: 'red' });
    expectError(bad, 400, 'invalid_request');
    expect(bad.body.error.details.map((p: { field: string }) => p.field).sort()).toEqual(['colour', 'description', 'name']);
    expectError(await call(runtime, 'GET', '/v1/lists?limit=0'), 400, 'invalid_request');
    expectError(await call(runtime, 'GET', '/v1/lists?cursor=forged'), 400, 'invalid_request');
  });
});

describe('contacts', () => {
  it('adds (201), replaces (200), reads, changes and removes a contact', async () => {
    const listId = await newList();
    const added = await call(runtime, 'POST', `/v1/lists/${listId}/contacts`, {
      email: 'Ada@Example.COM',
      attributes: { first_name: 'Ada', visits: 3, vip: true, note: null },
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      email: 'Ada@example.com',
      status: 'subscribed',
      attributes: { first_name: 'Ada', visits: 3, vip: true, note: null },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const off = await call(runtime, 'PATCH', contactPath(listId, 'Ada@example.com'), { status: 'unsubscribed' });
    expect(off.body).toMatchObject({ status: 'unsubscribed', attributes: { first_name: 'Ada' } });
    // Replacing keeps the creation time and, with no status given, the status.
    const replaced = await call(runtime, 'POST', `/v1/lists/${listId}/contacts`, {
      email: 'Ada@example.com',
      attributes: { first_name: 'Ada L.' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      status: 'unsubscribed',
      attributes: { first_name: 'Ada L.' },
      created_at: added.body.created_at,
    });

    const merged = await call(runtime, 'PATCH', contactPath(listId, 'Ada@EXAMPLE.com'), {
      attributes: { last_name: 'Lovelace', first_name: null },
      status: 'subscribed',
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ status: 'subscribed', attributes: { last_name: 'Lovelace' } });
    expect(await call(runtime, 'GET', contactPath(listId, 'Ada@example.com'))).toEqual({ status: 200, body: merged.body });
    // An unencoded @ works too; the local part is compared exactly.
    expect((await call(runtime, 'GET', `/v1/lists/${listId}/contacts/Ada@example.com`)).status).toBe(200);
    expectError(await call(runtime, 'GET', contactPath(listId, 'ada@example.com')), 404, 'contact_not_found');

    expect((await call(runtime, 'DELETE', contactPath(listId, 'Ada@example.com'))).status).toBe(204);
    expectError(await call(runtime, 'GET', contactPath(listId, 'Ada@example.com')), 404, 'contact_not_found');
    expectError(await call(runtime, 'DELETE', contactPath(listId, 'Ada@example.com')), 404, 'contact_not_found');
    expectError(await call(runtime, 'PATCH', contactPath(listId, 'Ada@example.com'), { status: 'subscribed' }), 404, 'contact_not_found');
  });

  it('refuses bad contacts naming each field, and answers list_not_found for an unknown list', async () => {
    const listId = await newList();
    const bad = await call(runtime, 'POST', `/v1/lists/${listId}/contacts`, {
      email: 'nope',
      status: 'maybe',
      attributes: { 'first-name': 'x', subject: 'a\r\nBcc: x@example.com' },
    });
    expectError(bad, 400, 'invalid_request');
    expect(bad.body.error.details.map((p: { field: string }) => p.field).sort()).toEqual([
      'attributes.first-name',
      'attributes.subject',
      'email',
      'status',
    ]);
    expectError(await call(runtime, 'GET', contactPath(listId, 'not-an-address')), 400, 'invalid_request');
    expectError(await call(runtime, 'PATCH', contactPath(listId, 'a@example.com'), {}), 400, 'invalid_request');

    const unknown = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    expectError(await call(runtime, 'POST', `/v1/lists/${unknown}/contacts`, { email: 'a@example.com' }), 404, 'list_not_found');
    expectError(await call(runtime, 'GET', `/v1/lists/${unknown}/contacts`), 404, 'list_not_found');
    expectError(await call(runtime, 'GET', contactPath(unknown, 'a@example.com')), 404, 'list_not_found');
    expectError(
      await call(runtime, 'POST', `/v1/lists/${unknown}/contacts/import`, { contacts: [{ email: 'a@example.com' }] }),
      404,
      'list_not_found',
    );
  });

  it('lists contacts in address order, page by page', async () => {
    const listId = await newList();
    const emails = ['e@x.example', 'a@x.example', 'c@x.example', 'b@x.example', 'd@x.example'];
    for (const address of emails)
      expect((await call(runtime, 'POST', `/v1/lists/${listId}/contacts`, { email: address })).status).toBe(201);
    const first = await call(runtime, 'GET', `/v1/lists/${listId}/contacts?limit=2`);
    expect(first.body.data.map((c: { email: string }) => c.email)).toEqual(['a@x.example', 'b@x.example']);
    expect((await allContacts(listId, 2)).map((c) => c.email)).toEqual([...emails].sort());
    expectError(await call(runtime, 'GET', `/v1/lists/${listId}/contacts?limit=1001`), 400, 'invalid_request');
  });

  it('keeps tenants apart (another tenant gets 404) and checks scopes', async () => {
    const listId = await newList();
    await call(runtime, 'POST', `/v1/lists/${listId}/contacts`, { email: 'a@example.com' });
    const other = as(keys.other);
    expectError(await call(runtime, 'GET', `/v1/lists/${listId}`, undefined, other), 404, 'list_not_found');
    expectError(await call(runtime, 'DELETE', `/v1/lists/${listId}`, undefined, other), 404, 'list_not_found');
    expectError(await call(runtime, 'GET', `/v1/lists/${listId}/contacts`, undefined, other), 404, 'list_not_found');
    expectError(await call(runtime, 'GET', contactPath(listId, 'a@example.com'), undefined, other), 404, 'list_not_found');
    expectError(await call(runtime, 'POST', `/v1/lists/${listId}/contacts`, { email: 'b@example.com' }, other), 404, 'list_not_found');
    expectError(
      await call(runtime, 'POST', `/v1/lists/${listId}/contacts/import`, { contacts: [{ email: 'b@example.com' }] }, other),
      404,
      'list_not_found',
    );
    expect((await call(runtime, 'GET', '/v1/lists', undefined, other)).body.data.map((l: { id: string }) => l.id)).not.toContain(listId);
    expect((await call(runtime, 'GET', `/v1/lists/${listId}`)).status).toBe(200);

    const readOnly = as(keys.readOnly);
    expect((await call(runtime, 'GET', `/v1/lists/${listId}/contacts`, undefined, readOnly)).status).toBe(200);
    expectError(await call(runtime, 'POST', '/v1/lists', { name: 'x' }, readOnly), 403, 'forbidden');
    expectError(await call(runtime, 'PATCH', contactPath(listId, 'a@example.com'), { status: 'unsubscribed' }, readOnly), 403, 'forbidden');
    expectError(await call(runtime, 'DELETE', `/v1/lists/${listId}`, undefined, readOnly), 403, 'forbidden');
  });
});

/** Contacts email(1)… email(count), each named. */
const numbered = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ email: email(i + 1), attributes: { first_name: `Name ${i + 1}` } }));

/** A new list holding `rows`, imported through the API. */
async function importedList(name: string, rows: unknown[]): Promise<string> {
  const listId = await newList(name);
  const answer = await importResult(listId, await call(runtime, 'POST', `/v1/lists/${listId}/contacts/import`, { contacts: rows }));
  expect(answer.status).toBe(200);
  expect(answer.body.imported).toBe(rows.length);
  return listId;
}

describe('imports', () => {
  it('imports 10,000 contacts as JSON; bad rows are reported by row and never stop good ones', async () => {
    const jsonList = await newList('JSON import');
    const rows: unknown[] = Array.from({ length: 10_000 }, (_, i) => ({
      email: email(i + 1),
      attributes: { first_name: `Name ${i + 1}`, n: i + 1 },
    }));
    rows[16] = { email: 'not-an-address', attributes: { first_name: 'x' } };
    rows[4999] = { email: email(5000), attributes: { 'bad-key': 1 } };
    rows[9998] = 'junk';
    rows[9999] = { email: email(1).replace('example.com', 'EXAMPLE.com'), attributes: { first_name: 'Latest' }, status: 'unsubscribed' };

    const started = performance.now();
    const answer = await importResult(jsonList, await call(runtime, 'POST', `/v1/lists/${jsonList}/contacts/import`, { contacts: rows }));
    const ms = Math.round(performance.now() - started);
    console.log(`import of 10,000 JSON rows: ${ms} ms`);

    if (answer.status !== 200)
      console.log(
        answer.body,
        log.lines.filter((l) => l.level === 'error' || l.level === 'warn'),
      );
    expect(answer.status).toBe(200);
    expect(answer.body.imported).toBe(9996);
    expect(answer.body.failed_count).toBe(3);
    expect(answer.body.failed).toEqual([
      { row: 17, email: 'not-an-address', errors: [{ field: 'email', message: 'is not a valid email address' }] },
      { row: 5000, email: email(5000), errors: [{ field: 'attributes.bad-key', message: expect.any(String) }] },
      { row: 9999, errors: [{ field: '(row)', message: 'must be a JSON object' }] },
    ]);
    expect(answer.body.duplicates).toEqual([{ row: 1, email: email(1), kept_row: 10_000 }]);
    expect(answer.body.unsubscribed).toEqual([]);

    const stored = await allContacts(jsonList);
    expect(stored).toHaveLength(9996);
    expect(stored.find((c) => c.email === email(1))).toMatchObject({ status: 'unsubscribed', attributes: { first_name: 'Latest' } });
    expect(stored.find((c) => c.email === email(9998))).toMatchObject({
      status: 'subscribed',
      attributes: { first_name: 'Name 9998', n: 9998 },
    });
  }, 180_000);

  it('imports 10,000 contacts as CSV, with rows and lines of the bad ones', async () => {
    const csvList = await newList('CSV import');
    const lines = ['email,first_name,plan,status'];
    for (let i = 1; i <= 10_000; i++) lines.push(`${email(i)},Name ${i},${i % 2 ? 'free' : 'pro'},`);
    lines[3] = 'broken-address,Three,free,';
    lines[4000] = `${email(4000)},Four thousand`;
    lines[8000] = `${email(8000)},Eight thousand,pro,maybe`;
    const csv = `${lines.join('\r\n')}\r\n`;

    const started = performance.now();
    const answer = await importResult(csvList, await send('POST', `/v1/lists/${csvList}/contacts/import`, csv, 'text/csv; charset=utf-8'));
    const ms = Math.round(performance.now() - started);
    console.log(`import of 10,000 CSV rows: ${ms} ms`);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ imported: 9997, failed_count: 3, unsubscribed: [], duplicates: [] });
    expect(answer.body.failed).toEqual([
      { row: 3, line: 4, email: 'broken-address', errors: [{ field: 'email', message: 'is not a valid email address' }] },
      { row: 4000, line: 4001, email: email(4000), errors: [{ field: '(row)', message: 'has 2 field(s); the header has 4' }] },
      { row: 8000, line: 8001, email: email(8000), errors: [{ field: 'status', message: 'must be one of subscribed, unsubscribed' }] },
    ]);
    const one = await call(runtime, 'GET', contactPath(csvList, email(10)));
    expect(one.body).toMatchObject({ status: 'subscribed', attributes: { first_name: 'Name 10', plan: 'pro' } });
    expect(await allContacts(csvList)).toHaveLength(9997);
  }, 180_000);

  it('refuses whole files it cannot read, over the size limit, or of another type', async () => {
    const listId = await newList();
    const noEmail = await send('POST', `/v1/lists/${listId}/contacts/import`, 'name\nAda\n', 'text/csv');
    expectError(noEmail, 400, 'invalid_request');
    expect(noEmail.body.error.details).toEqual([{ field: 'header', message: 'an "email" column is required' }]);
    expectError(await send('POST', `/v1/lists/${listId}/contacts/import`, 'email\n"a@example.com\n', 'text/csv'), 400, 'invalid_request');
    expectError(await call(runtime, 'POST', `/v1/lists/${listId}/contacts/import`, { contacts: {} }), 400, 'invalid_request');
    expectError(await send('POST', `/v1/lists/${listId}/contacts/import`, 'a@example.com', 'text/plain'), 415, 'unsupported_media_type');
    const huge = `email,pad\n${'a@example.com,x\n'.repeat(Math.ceil(MAX_IMPORT_BYTES / 16) + 1)}`;
    expectError(await send('POST', `/v1/lists/${listId}/contacts/import`, huge, 'text/csv'), 413, 'payload_too_large');
    // Other routes keep the 256 KiB limit.
    expectError(
      await call(runtime, 'POST', `/v1/lists/${listId}/contacts`, { email: 'a@example.com', attributes: { x: 'y'.repeat(300 * 1024) } }),
      413,
      'payload_too_large',
    );
    expect(await allContacts(listId)).toEqual([]);
  });

  it('keeps a person who unsubscribed unsubscribed: re-import, PATCH and POST cannot subscribe them', async () => {
    // email(1) unsubscribed when imported; email(4) is also on another list.
    const list = await importedList('Unsubscribes kept', [{ email: email(1), status: 'unsubscribed' }, ...numbered(4).slice(1)]);
    const otherList = await importedList('Another list', numbered(4));
    const at = new Date().toISOString();
    await unsubscribes.put({ tenant: 'dev', email: email(2), listId: list, createdAt: at });
    await unsubscribes.put({ tenant: 'dev', email: email(3), createdAt: at });
    // Another list's unsubscribe does not count here.
    await unsubscribes.put({ tenant: 'dev', email: email(4), listId: otherList, createdAt: at });

    const answer = await call(runtime, 'POST', `/v1/lists/${list}/contacts/import`, {
      contacts: [
        { email: email(2), attributes: { first_name: 'Two again' }, status: 'subscribed' },
        { email: email(3), attributes: { first_name: 'Three again' } },
        { email: email(4), status: 'subscribed' },
        { email: 'new@example.com' },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ imported: 4, failed: [], unsubscribed: [email(2), email(3)] });

    const two = await call(runtime, 'GET', contactPath(list, email(2)));
    expect(two.body).toMatchObject({
      status: 'unsubscribed',
      unsubscribed_at: at,
      unsubscribe_scope: 'list',
      attributes: { first_name: 'Two again' },
    });
    expect((await call(runtime, 'GET', contactPath(list, email(3)))).body).toMatchObject({
      status: 'unsubscribed',
      unsubscribe_scope: 'marketing',
      attributes: { first_name: 'Three again' },
    });
    expect((await call(runtime, 'GET', contactPath(list, email(4)))).body.status).toBe('subscribed');
    expect((await call(runtime, 'GET', contactPath(otherList, email(4)))).body.status).toBe('unsubscribed');

    expectError(await call(runtime, 'PATCH', contactPath(list, email(2)), { status: 'subscribed' }), 409, 'contact_unsubscribed');
    expectError(
      await call(runtime, 'PATCH', contactPath(list, email(3)), { status: 'subscribed', attributes: { x: 1 } }),
      409,
      'contact_unsubscribed',
    );
    expectError(
      await call(runtime, 'POST', `/v1/lists/${list}/contacts`, { email: email(2), status: 'subscribed' }),
      409,
      'contact_unsubscribed',
    );
    expect((await call(runtime, 'GET', contactPath(list, email(3)))).body.attributes).toEqual({ first_name: 'Three again' });
    // What does not subscribe is allowed, and the person stays unsubscribed.
    const patched = await call(runtime, 'PATCH', contactPath(list, email(2)), { attributes: { first_name: 'Two' } });
    expect(patched.body).toMatchObject({ status: 'unsubscribed', attributes: { first_name: 'Two' } });
    expect((await call(runtime, 'PATCH', contactPath(list, email(2)), { status: 'unsubscribed' })).status).toBe(200);
    const page = await call(runtime, 'GET', `/v1/lists/${list}/contacts?limit=3`);
    expect(page.body.data.map((c: { status: string }) => c.status)).toEqual(['subscribed', 'unsubscribed', 'unsubscribed']);
  });

  it('deletes a list at once, queues its clean-up, and the clean-up removes every contact', async () => {
    // More contacts than a clean-up page holds (PURGE_PAGE_SIZE), so that it takes several.
    const deleted = await importedList('To delete', numbered(2 * PURGE_PAGE_SIZE + 500));
    const kept = await importedList('Kept', numbered(10));
    expect((await call(runtime, 'DELETE', `/v1/lists/${deleted}`)).status).toBe(204);
    expectError(await call(runtime, 'GET', `/v1/lists/${deleted}`), 404, 'list_not_found');
    expectError(await call(runtime, 'GET', `/v1/lists/${deleted}/contacts`), 404, 'list_not_found');
    expectError(await call(runtime, 'GET', contactPath(deleted, email(10))), 404, 'list_not_found');

    // The clean-up job waits on the queue a few seconds, so that the deletion lands first;
    // then the campaign worker removes the contacts, a page at a time.
    const queued = await runtime.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: runtime.campaignQueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }),
    );
    expect(Number(queued.Attributes?.ApproximateNumberOfMessagesDelayed)).toBeGreaterThanOrEqual(1);
    await waitFor(
      async () => (await contacts.page('dev', deleted, { limit: 1 })).items.length,
      (left) => left === 0,
      { timeout: 90_000, interval: 500, message: 'the deleted list to have no contacts left' },
    );
    const deps = { lists, contacts };
    expect(await purgeListContacts(deps, 'dev', deleted, () => false)).toBe('done');

    // A list that exists keeps its contacts.
    expect(await purgeListContacts(deps, 'dev', kept, () => false)).toBe('done');
    expect((await call(runtime, 'GET', contactPath(kept, email(9)))).status).toBe(200);
  }, 120_000);
});

describe("a person's own unsubscribes, through the links in their mail", () => {
  let listId: string;
  const links = (recipient: string) => {
    const ctx: LinkContext = {
      baseUrl: runtime.apiUrl,
      signer: createLinkSigner(Buffer.from(runtime.env[ENV.linkSecret]!, 'base64')),
      tenant: 'dev',
      messageId: '01M9000000000000000000TEST',
      recipient,
    };
    return { list: unsubscribeUrl(ctx, listId), all: unsubscribeUrl(ctx) };
  };
  const page = async (url: string) => (await fetch(url)).text();
  const post = async (url: string, form: string) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect(response.status).toBe(200);
  };
  const scope = async (address: string) => (await call(runtime, 'GET', contactPath(listId, address))).body.unsubscribe_scope;

  beforeAll(async () => {
    listId = await newList('Offers');
    for (const address of ['pat@example.com', 'sam@example.com', 'lee@example.com']) {
      expect((await call(runtime, 'POST', `/v1/lists/${listId}/contacts`, { email: address })).status).toBe(201);
    }
  });

  it('the page says when the address is already unsubscribed, and from what', async () => {
    const { list, all } = links('pat@example.com');
    expect(await page(list)).not.toContain('already unsubscribed');
    await post(list, 'List-Unsubscribe=One-Click');
    const fromList = await page(list);
    expect(fromList).toContain('already unsubscribed from the list <strong>Offers</strong>');
    expect(fromList).toContain('Unsubscribe from all marketing mail');
    expect(await page(all)).not.toContain('already unsubscribed');

    await post(all, 'action=unsubscribe&scope=marketing');
    for (const url of [list, all]) expect(await page(url)).toContain('already unsubscribed from all marketing mail');
  });

  it("keeps the widest choice as the contact's unsubscribe_scope: a list after all stays all; all after a list widens it", async () => {
    const lee = links('lee@example.com');
    await post(lee.all, 'action=unsubscribe&scope=marketing');
    await post(lee.list, 'List-Unsubscribe=One-Click');
    expect(await scope('lee@example.com')).toBe('marketing');

    const sam = links('sam@example.com');
    await post(sam.list, 'List-Unsubscribe=One-Click');
    expect(await scope('sam@example.com')).toBe('list');
    await post(sam.list, 'action=unsubscribe&scope=marketing');
    expect(await scope('sam@example.com')).toBe('marketing');
    // Subscribing to marketing mail again leaves the list's own unsubscribe.
    await post(sam.all, 'action=resubscribe&scope=marketing');
    expect(await scope('sam@example.com')).toBe('list');
  });
});
