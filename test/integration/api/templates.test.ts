/**
 * Stored templates through the real API handler on DynamoDB Local and the SQS emulator: CRUD
 * with versions and unique names, pagination, scopes, tenant isolation, render previews, and
 * sends (single and batch) that name a template, with what they queue and store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHarness, expectErrorDocument, problemFields, type Answer, type ApiHarness } from './harness.ts';

let api: ApiHarness;
let key: string;
let readKey: string;
let otherKey: string;

beforeAll(async () => {
  api = await apiHarness();
  key = await api.newKey('tenant-a');
  readKey = await api.newKey('tenant-a', ['read']);
  otherKey = await api.newKey('tenant-b');
});
afterAll(() => api.close());

const receipt = {
  name: 'Receipt',
  subject: 'Order {{order.id}} for {{name}}',
  html: '<p>Hello {{name}}</p>{{#if order.paid}}<p>Paid</p>{{/if}}',
  text: 'Hello {{name}}, order {{order.id}}',
};
/** Calls the handler with key `k`; a query string in `path` is handed over as API Gateway does. */
const as = (k: string, method: string, path: string, body?: unknown) => {
  const [rawPath = path, query] = path.split('?');
  return api.call(method, rawPath, {
    key: k,
    ...(query && { query: Object.fromEntries(new URLSearchParams(query)) }),
    ...(body !== undefined && { body }),
  });
};

async function create(body: object = {}, k = key): Promise<Answer['body']> {
  const answer = await as(k, 'POST', '/v1/templates', { ...receipt, name: `Receipt ${Math.random()}`, ...body });
  expect(answer.status).toBe(201);
  return answer.body;
}

const send = (id: string, data: object, extra: object = {}) => ({
  from: 'Shop <orders@shop.example>',
  to: 'ann@example.com',
  template: { id, data },
  ...extra,
});

describe('/v1/templates', () => {
  it('creates, reads, replaces (next version) and deletes a template', async () => {
    const created = await as(key, 'POST', '/v1/templates', receipt);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      ...receipt,
      version: 1,
      created_at: expect.any(String),
      updated_at: created.body.created_at,
    });
    const path = `/v1/templates/${created.body.id}`;
    expect((await as(key, 'GET', path)).body).toEqual(created.body);

    const replaced = await as(key, 'PUT', path, { name: 'Receipt v2', subject: 'Order {{order.id}}', text: 'Plain now' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      name: 'Receipt v2',
      html: null,
      text: 'Plain now',
      version: 2,
      created_at: created.body.created_at,
    });
    expect((await as(key, 'PUT', path, replaced.body && { name: 'Receipt v2', subject: 's', text: 't' })).body.version).toBe(3);
    expect((await as(key, 'GET', path)).body).toMatchObject({ version: 3, subject: 's' });

    expect((await as(key, 'DELETE', path)).status).toBe(204);
    expectErrorDocument(await as(key, 'GET', path), 404, 'template_not_found');
    expectErrorDocument(await as(key, 'DELETE', path), 404, 'template_not_found');
    // The name is free again.
    expect((await as(key, 'POST', '/v1/templates', receipt)).status).toBe(201);
  });

  it('keeps names unique per tenant, whatever their case', async () => {
    const name = `Welcome ${Math.random()}`;
    const first = await create({ name });
    expectErrorDocument(await as(key, 'POST', '/v1/templates', { ...receipt, name: name.toUpperCase() }), 409, 'template_name_taken');
    const second = await create();
    expectErrorDocument(await as(key, 'PUT', `/v1/templates/${second.id}`, { ...receipt, name }), 409, 'template_name_taken');
    // Another tenant may use it.
    expect((await as(otherKey, 'POST', '/v1/templates', { ...receipt, name })).status).toBe(201);
    expect((await as(key, 'GET', `/v1/templates/${first.id}`)).body.name).toBe(name);
  });

  it('refuses bad fields (400) and templates that do not compile (422), storing nothing', async () => {
    const bad = await as(key, 'POST', '/v1/templates', { name: '', subject: 'a\r\nBcc: x@example.com', extra: 1 });
    expectErrorDocument(bad, 400, 'invalid_request');
    expect(problemFields(bad)).toEqual(['name', 'subject', 'extra', 'text']);
    const broken = await as(key, 'POST', '/v1/templates', { ...receipt, name: 'Broken', html: '<p>\n{{#if x}}</p>' });
    expectErrorDocument(broken, 422, 'template_error');
    expect(broken.body.error.details).toMatchObject({ part: 'html', line: 2 });
    expectErrorDocument(await as(key, 'POST', '/v1/templates', { ...receipt, name: 'Raw', html: '{{{name}}}' }), 422, 'template_error');
    const names = (await as(key, 'GET', '/v1/templates?limit=1000')).body.data.map((t: { name: string }) => t.name);
    expect(names).not.toContain('Broken');
    expect(names).not.toContain('Raw');
  });

  it('lists templates oldest first without their bodies, a page at a time', async () => {
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push((await create({}, otherKey)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Answer = await as(otherKey, 'GET', `/v1/templates?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      for (const t of page.body.data)
        expect(Object.keys(t).sort()).toEqual(['created_at', 'id', 'name', 'subject', 'updated_at', 'version']);
      seen.push(...page.body.data.map((t: { id: string }) => t.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen.slice(-5)).toEqual(mine);
    expectErrorDocument(await as(otherKey, 'GET', '/v1/templates?limit=0'), 400, 'invalid_request');
    expectErrorDocument(await as(otherKey, 'GET', '/v1/templates?cursor=nope'), 400, 'invalid_request');
  });

  it("answers another tenant's template exactly as one that does not exist, and changes nothing", async () => {
    const theirs = await create({}, otherKey);
    const unknown = '01JD0000000000000000000000';
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PUT', '', receipt],
      ['DELETE', '', undefined],
      ['POST', '/render', { data: {} }],
    ] as const) {
      const probe = await as(key, method, `/v1/templates/${theirs.id}${suffix}`, body);
      const none = await as(key, method, `/v1/templates/${unknown}${suffix}`, body);
      expectErrorDocument(probe, 404, 'template_not_found');
      expect(probe.text).toBe(none.text);
    }
    expect((await as(key, 'GET', '/v1/templates?limit=1000')).body.data.map((t: { id: string }) => t.id)).not.toContain(theirs.id);
    expectErrorDocument(await as(key, 'POST', '/v1/messages', send(theirs.id, { name: 'x' })), 404, 'template_not_found');
    expect((await as(otherKey, 'GET', `/v1/templates/${theirs.id}`)).body).toEqual(theirs);
  });

  it('lets read keys read and render, and only send keys change templates', async () => {
    const template = await create();
    const path = `/v1/templates/${template.id}`;
    expect((await as(readKey, 'GET', '/v1/templates')).status).toBe(200);
    expect((await as(readKey, 'GET', path)).status).toBe(200);
    expect((await as(readKey, 'POST', `${path}/render`, { data: { name: 'Ann' } })).status).toBe(200);
    expectErrorDocument(await as(readKey, 'POST', '/v1/templates', receipt), 403, 'forbidden');
    expectErrorDocument(await as(readKey, 'PUT', path, receipt), 403, 'forbidden');
    expectErrorDocument(await as(readKey, 'DELETE', path), 403, 'forbidden');
  });
});

describe('POST /v1/templates/{id}/render', () => {
  it('previews the parts: data escaped in html, not in text or subject', async () => {
    const { id } = await create();
    const answer = await as(key, 'POST', `/v1/templates/${id}/render`, {
      data: { name: '<script>alert(1)</script>', order: { id: 'A-1', paid: true } },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      subject: 'Order A-1 for <script>alert(1)</script>',
      html: '<p>Hello &lt;script&gt;alert(1)&lt;/script&gt;</p><p>Paid</p>',
      text: 'Hello <script>alert(1)</script>, order A-1',
    });
    // No body: no data.
    expect((await as(key, 'POST', `/v1/templates/${id}/render`)).body.subject).toBe('Order  for ');
  });

  it('refuses data against the rules, naming the field', async () => {
    const { id } = await create();
    const answer = await api.call('POST', `/v1/templates/${id}/render`, {
      key,
      body: '{"data": {"__proto__": {"admin": true}, "items": [1]}}',
      headers: { 'content-type': 'application/json' },
    });
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toEqual(['data.__proto__', 'data.items']);
  });
});

describe('sending with a stored template', () => {
  it('queues the rendered message; GET shows the template id and version and the rendered subject', async () => {
    const template = await create();
    await as(key, 'PUT', `/v1/templates/${template.id}`, { ...receipt, name: template.name, subject: 'Your order {{order.id}}' });
    await api.drainJobs();
    const answer = await as(
      key,
      'POST',
      '/v1/messages',
      send(template.id, { name: 'Ann', order: { id: 42 } }, { tags: { kind: 'receipt' } }),
    );
    expect(answer.status).toBe(202);
    expect((await api.drainJobs()).map((j) => j.messageId)).toEqual([answer.body.id]);
    const message = await as(key, 'GET', `/v1/messages/${answer.body.id}`);
    expect(message.body).toMatchObject({ subject: 'Your order 42', template: { id: template.id, version: 2 }, tags: { kind: 'receipt' } });
  });

  it('answers 422 template_error naming the problem when the template does not render with the data, queueing nothing', async () => {
    const { id } = await create({ subject: '{{title}}' });
    await api.drainJobs();
    const answer = await as(key, 'POST', '/v1/messages', send(id, { name: 'Ann' }));
    expectErrorDocument(answer, 422, 'template_error');
    expect(answer.body.error.details).toEqual({ part: 'subject', message: expect.stringMatching(/empty/) });
    expect(answer.body.error.message).toMatch(/subject/);
    expect(await api.drainJobs()).toEqual([]);
  });

  it('refuses a template beside subject, html or text, and bad data, with a 400 naming each field', async () => {
    const { id } = await create();
    const both = await as(key, 'POST', '/v1/messages', send(id, {}, { subject: 'Hi', text: 'x' }));
    expectErrorDocument(both, 400, 'invalid_request');
    expect(problemFields(both)).toEqual(['subject', 'text']);
    const data = await as(key, 'POST', '/v1/messages', send(id, { lines: ['a'], order: { constructor: 1 } }));
    expect(problemFields(data)).toEqual(['template.data.lines', 'template.data.order.constructor']);
  });

  it('renders each message of a batch with its own data; a message that does not render fails alone', async () => {
    const template = await create();
    const bare = await create({ subject: '{{title}}' });
    await api.drainJobs();
    const answer = await as(key, 'POST', '/v1/messages/batch', {
      messages: [
        send(template.id, { name: 'Ann', order: { id: 1 } }, { to: 'ann@example.com' }),
        send(bare.id, {}, { to: 'bob@example.com' }),
        send(template.id, { name: 'Carl', order: { id: 3 } }, { to: 'carl@example.com' }),
        { from: 'orders@shop.example', to: 'dora@example.com', subject: 'Plain', text: 'no template' },
      ],
    });
    expect(answer.status).toBe(202);
    expect(answer.body.results.map((r: { status_code: number }) => r.status_code)).toEqual([202, 422, 202, 202]);
    expect(answer.body.results[1].error).toMatchObject({ code: 'template_error', details: { part: 'subject' } });
    expect((await api.drainJobs()).length).toBe(3);
    const subjects = [];
    for (const index of [0, 2, 3]) {
      const message = await as(key, 'GET', `/v1/messages/${answer.body.results[index].id}`);
      subjects.push([message.body.subject, message.body.template?.version ?? null]);
    }
    expect(subjects).toEqual([
      ['Order 1 for Ann', 1],
      ['Order 3 for Carl', 1],
      ['Plain', null],
    ]);
  });
});
