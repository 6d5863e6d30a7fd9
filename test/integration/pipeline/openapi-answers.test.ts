/**
 * The OpenAPI document tells the truth: local mode serves it without a key, and the answers the
 * handlers really give (successes and errors, through the whole pipeline) are checked against
 * the document's schema of their operation and status, on a representative set of routes.
 */
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../lib/env.ts';
import { describedRoutes } from '../../../lib/handlers/api-handler.ts';
import { openApiDocument } from '../../../lib/http/openapi.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { MAX_SEND_REQUEST_BYTES } from '../../../lib/topology.ts';
import { startTestDnsServer, type TestDnsServer } from '../domains/dns-server.ts';
import { AnswerChecker } from '../../support/openapi-answers.ts';
import { settled, startPipeline, waitForMessage, type ApiAnswer } from '../../support/pipeline.ts';
import { waitFor } from '../../support/wait.ts';

const document = openApiDocument(describedRoutes());
const checker = new AnswerChecker(document);
const today = () => new Date().toISOString().slice(0, 10);

let runtime: LocalRuntime;
let dns: TestDnsServer;

/**
 * Calls the API with the dev key (or `key`; `null`: none) and checks the answer against the
 * document. A string body is sent as it is (with its own content type), anything else as JSON.
 */
async function api(method: string, path: string, body?: unknown, key?: string | null, headers: Record<string, string> = {}) {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: {
      ...(key !== null && { authorization: `Bearer ${key ?? runtime.apiKey}` }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const answer: ApiAnswer = { status: response.status, body: text ? JSON.parse(text) : undefined };
  expect(checker.problems(method, path.split('?')[0]!, answer.status, answer.body)).toEqual([]);
  return { ...answer, headers: response.headers };
}

/** An RFC 3339 time `ms` from now. */
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();
const HOUR = 3_600_000;

beforeAll(async () => {
  dns = await startTestDnsServer();
  runtime = await startPipeline({ env: { [ENV.dnsServers]: dns.address } });
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  await dns?.close();
});

describe('the answer checker', () => {
  it('finds an answer unlike its schema, and a status the operation does not document', () => {
    const check = new AnswerChecker(document);
    expect(check.problems('GET', '/v1/suppressions', 200, { data: [], next_cursor: null })).toEqual([]);
    expect(check.problems('GET', '/v1/suppressions', 200, { data: [{ email: 'a@b.test' }], next_cursor: null, extra: 1 })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/must NOT have additional properties/),
        expect.stringMatching(/must have required property 'reason'/),
      ]),
    );
    expect(check.problems('GET', '/v1/suppressions', 418, {})).toEqual([
      'GET /v1/suppressions 418: status 418 is not documented for listSuppressions',
    ]);
    expect(check.problems('DELETE', '/v1/lists/x', 204, undefined)).toEqual([]);
    expect(check.problems('POST', '/v1/messages/batch', 202, { results: [] })).toEqual([]);
  });
});

describe('GET /v1/openapi.json', () => {
  it('serves the document without an API key', async () => {
    const response = await fetch(`${runtime.apiUrl}/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(document);
  });
});

describe('answers as documented', () => {
  let messageId: string;
  let listId: string;
  let templateId: string;

  it('messages: send, batch, read, and their errors', async () => {
    await api('PUT', '/v1/suppressions/gone%40example.test', { reason: 'manual', detail: 'asked' });
    const sent = await api('POST', '/v1/messages', {
      from: 'Acme <hello@acme.test>',
      to: ['Ann <ann@example.test>', 'gone@example.test'],
      cc: 'carl@example.test',
      subject: 'Hello',
      text: 'Hi',
      html: '<p>Hi</p>',
      headers: { 'X-Order': '1' },
      tags: { kind: 'welcome' },
      metadata: { order: 1, vip: true, note: null },
    });
    expect(sent.body.rejected).toEqual([{ email: 'gone@example.test', reason: 'suppressed' }]);
    messageId = sent.body.id;
    await waitForMessage(runtime, messageId, (m) => m.status === 'sent');
    const read = await api('GET', `/v1/messages/${messageId}`);
    expect(read.body.events.length).toBeGreaterThan(1);
    expect(read.body.recipients.some((r: { last_answer?: unknown }) => r.last_answer)).toBe(true);
    const content = await api('GET', `/v1/messages/${messageId}/content`);
    expect(content.body).toMatchObject({ text: 'Hi', html: '<p>Hi</p>', headers: { 'X-Order': '1' }, attachments: [] });
    expect((await api('GET', '/v1/messages/01JUNKNOWN000000000000000/content')).status).toBe(404);

    const batch = await api('POST', '/v1/messages/batch', {
      messages: [
        { from: 'hello@acme.test', to: 'bob@example.test', subject: 'One', text: '1' },
        { from: 'hello@acme.test', to: 'not an address', subject: 'Two', text: '2' },
        { from: 'hello@acme.test', to: 'gone@example.test', subject: 'Three', text: '3' },
      ],
    });
    expect(batch.body.results.map((r: { status_code: number }) => r.status_code)).toEqual([202, 400, 422]);

    expect((await api('POST', '/v1/messages', { from: 'a@acme.test', to: 'gone@example.test', subject: 'x', text: 'x' })).status).toBe(422);
    expect((await api('POST', '/v1/messages', { from: 'a@acme.test', to: [], subject: 1 })).status).toBe(400);
    expect((await api('POST', '/v1/messages', 'to=x', undefined, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await api('GET', '/v1/messages/01JUNKNOWN000000000000000')).status).toBe(404);
    expect((await api('GET', `/v1/messages/${messageId}`, undefined, null)).status).toBe(401);
    const listed = await waitFor(
      async () => (await api('GET', '/v1/messages?limit=5&tag=kind%3Dwelcome')).body,
      (page) => page.data.some((m: { id: string }) => m.id === messageId),
      { message: 'the message in the activity feed' },
    );
    expect(listed.data[0]).toMatchObject({ id: messageId, tags: { kind: 'welcome' }, to: ['Ann <ann@example.test>', 'gone@example.test'] });
    await api('GET', `/v1/messages?to=ann%40example.test&status=sent&after=${encodeURIComponent(fromNow(-HOUR))}`);
    expect((await api('GET', '/v1/messages?colour=red')).status).toBe(400);
    expect((await api('DELETE', '/v1/messages')).status).toBe(405);
    expect((await api('GET', '/v1/nowhere')).status).toBe(404);
  });

  it('attachments: inline files, uploads, and their errors', async () => {
    const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');
    const inline = await api('POST', '/v1/messages', {
      from: 'hello@acme.test',
      to: 'ann@example.test',
      subject: 'Files',
      html: '<p><img src="cid:logo@acme.test"></p>',
      attachments: [
        { filename: 'invoice.pdf', content: pdf.toString('base64') },
        { filename: 'logo.png', content: 'iVBORw0KGgo=', content_id: 'logo@acme.test' },
      ],
    });
    expect(inline.status).toBe(202);
    const read = await waitForMessage(runtime, inline.body.id, (m) => m.status === 'sent');
    expect(read.attachments).toHaveLength(2);
    await api('GET', `/v1/messages/${inline.body.id}`);

    const upload = await api('POST', '/v1/attachments', { filename: 'report.pdf', size: pdf.length }, undefined, {
      'idempotency-key': 'upload-report',
    });
    expect(upload.status).toBe(201);
    expect(
      (
        await api('POST', '/v1/attachments', { filename: 'report.pdf', size: pdf.length }, undefined, {
          'idempotency-key': 'upload-report',
        })
      ).body,
    ).toEqual(upload.body);
    expect((await fetch(upload.body.upload_url, { method: 'PUT', body: pdf })).status).toBe(200);
    const uploaded = { from: 'hello@acme.test', to: 'ann@example.test', subject: 'Report', text: 'Attached.' };
    expect((await api('POST', '/v1/messages', { ...uploaded, attachments: [{ attachment_id: upload.body.id }] })).status).toBe(202);

    expect((await api('POST', '/v1/attachments', { filename: 'big.bin', size: -1 })).status).toBe(400);
    expect((await api('POST', '/v1/messages', { ...uploaded, attachments: [{ filename: 'setup.exe', content: 'TVo=' }] })).status).toBe(
      400,
    );
    const unknown = await api('POST', '/v1/messages', { ...uploaded, attachments: [{ attachment_id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }] });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'attachment_not_found' } } });
    const huge = JSON.stringify({ ...uploaded, attachments: [{ filename: 'big.bin', content: 'A'.repeat(MAX_SEND_REQUEST_BYTES) }] });
    const tooLarge = await api('POST', '/v1/messages', huge, undefined, { 'content-type': 'application/json' });
    expect(tooLarge).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('scheduled sends and cancels', async () => {
    const scheduled = await api('POST', '/v1/messages', {
      from: 'hello@acme.test',
      to: 'ann@example.test',
      subject: 'Tomorrow',
      text: 'Later.',
      send_at: fromNow(2 * HOUR),
    });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', send_at: expect.any(String) });
    const read = await api('GET', `/v1/messages/${scheduled.body.id}`);
    expect(read.body).toMatchObject({ status: 'scheduled', events: [{ type: 'scheduled', detail: { send_at: scheduled.body.send_at } }] });
    await waitFor(
      async () => (await api('GET', '/v1/messages?status=scheduled')).body,
      (page) => page.data.some((m: { id: string; send_at?: string }) => m.id === scheduled.body.id && m.send_at === scheduled.body.send_at),
      { message: 'the scheduled message in the activity feed' },
    );
    const canceled = await api('POST', `/v1/messages/${scheduled.body.id}/cancel`);
    expect(canceled.body).toMatchObject({ status: 'canceled', recipients: [{ status: 'canceled' }] });
    expect((await api('POST', `/v1/messages/${scheduled.body.id}/cancel`)).status).toBe(200);
    expect((await api('POST', `/v1/messages/${messageId}/cancel`)).status).toBe(409);
    expect((await api('POST', '/v1/messages/01JUNKNOWN0000000000000000/cancel')).status).toBe(404);

    const batch = await api('POST', '/v1/messages/batch', {
      messages: [
        { from: 'hello@acme.test', to: 'bob@example.test', subject: 'Later', text: 'x', send_at: fromNow(3 * HOUR) },
        { from: 'hello@acme.test', to: 'bob@example.test', subject: 'Too late', text: 'x', send_at: fromNow(31 * 24 * HOUR) },
      ],
    });
    expect(batch.body.results.map((r: { status_code: number; status?: string }) => [r.status_code, r.status])).toEqual([
      [202, 'scheduled'],
      [400, undefined],
    ]);
    expect((await api('POST', `/v1/messages/${batch.body.results[0].id}/cancel`)).status).toBe(200);
  });

  it('stored templates, sends made with them, and their errors', async () => {
    const template = {
      name: 'Shipped',
      subject: 'Order {{order}} has shipped',
      html: '<p>Hello {{name}}</p>',
      text: 'Hello {{name}}',
    };
    const created = await api('POST', '/v1/templates', template);
    expect(created.status).toBe(201);
    templateId = created.body.id;
    expect((await api('POST', '/v1/templates', template)).status).toBe(409);
    expect((await api('POST', '/v1/templates', { name: 'Broken', subject: '{{#if}}', text: 'x' })).status).toBe(422);
    expect((await api('POST', '/v1/templates', { name: 'No body', subject: 'x' })).status).toBe(400);
    await api('GET', '/v1/templates?limit=10');
    await api('GET', `/v1/templates/${templateId}`);
    const rendered = await api('POST', `/v1/templates/${templateId}/render`, { data: { name: 'Ann <3', order: 'A-17' } });
    expect(rendered.body).toEqual({ subject: 'Order A-17 has shipped', html: '<p>Hello Ann &lt;3</p>', text: 'Hello Ann <3' });
    expect((await api('POST', `/v1/templates/${templateId}/render`, { data: { lines: [1, 2] } })).status).toBe(400);

    const sent = await api('POST', '/v1/messages', {
      from: 'hello@acme.test',
      to: 'ann@example.test',
      template: { id: templateId, data: { name: 'Ann', order: 'A-17' } },
    });
    expect(sent.status).toBe(202);
    const read = await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent');
    expect(read.template).toEqual({ id: templateId, version: 1 });
    await api('GET', `/v1/messages/${sent.body.id}`);
    await waitFor(
      async () => (await api('GET', `/v1/messages?template=${templateId}`)).body,
      (page) => page.data.some((m: { id: string; template?: unknown }) => m.id === sent.body.id && m.template),
      { message: 'the message made from the template in the activity feed' },
    );

    const replaced = await api('PUT', `/v1/templates/${templateId}`, { ...template, subject: 'Order {{order}} is on its way' });
    expect(replaced.body).toMatchObject({ version: 2, html: '<p>Hello {{name}}</p>' });
    const noSubject = await api('POST', '/v1/templates', { name: 'Empty subject', subject: '{{missing}}', text: 'x' });
    // Renders empty with no data: the send is refused, nothing stored.
    expect((await api('POST', `/v1/templates/${noSubject.body.id}/render`)).status).toBe(422);
    const refused = await api('POST', '/v1/messages', {
      from: 'hello@acme.test',
      to: 'ann@example.test',
      template: { id: noSubject.body.id },
    });
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'template_error' } } });
    const missing = await api('POST', '/v1/messages', {
      from: 'a@acme.test',
      to: 'b@example.test',
      template: { id: '01JUNKNOWN0000000000000000' },
    });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'template_not_found' } } });
    expect((await api('DELETE', `/v1/templates/${noSubject.body.id}`)).status).toBe(204);
    expect((await api('GET', `/v1/templates/${noSubject.body.id}`)).status).toBe(404);
  });

  it('suppressions', async () => {
    await api('PUT', '/v1/suppressions/someone%40example.test');
    expect((await api('GET', '/v1/suppressions?limit=10')).body.data.length).toBeGreaterThan(0);
    await api('GET', '/v1/suppressions/someone%40example.test');
    expect((await api('DELETE', '/v1/suppressions/someone%40example.test')).status).toBe(204);
    expect((await api('GET', '/v1/suppressions/someone%40example.test')).status).toBe(404);
    expect((await api('PUT', '/v1/suppressions/a%40example.test', { reason: 'spam' })).status).toBe(400);
  });

  it('lists, contacts and imports', async () => {
    listId = (await api('POST', '/v1/lists', { name: 'News', description: 'Monthly' })).body.id;
    await api('GET', '/v1/lists');
    await api('GET', `/v1/lists/${listId}`);
    expect((await api('POST', `/v1/lists/${listId}/contacts`, { email: 'ada@example.test', attributes: { n: 1 } })).status).toBe(201);
    expect((await api('POST', `/v1/lists/${listId}/contacts`, { email: 'ada@example.test', status: 'subscribed' })).status).toBe(200);
    await api('PATCH', `/v1/lists/${listId}/contacts/ada%40example.test`, { attributes: { plan: 'pro' } });
    await api('GET', `/v1/lists/${listId}/contacts/ada%40example.test`);
    const csv = 'email,first_name\nbob@example.test,Bob\nbroken@,Nope\nbob@example.test,Bobby\n';
    const imported = await api('POST', `/v1/lists/${listId}/contacts/import`, csv, undefined, { 'content-type': 'text/csv' });
    expect(imported.body).toMatchObject({ imported: 1, failed_count: 1 });
    await api('POST', `/v1/lists/${listId}/contacts/import`, { contacts: [{ email: 'carl@example.test' }] });
    const queued = await api('POST', `/v1/lists/${listId}/contacts/import`, { contacts: [{ email: 'dora@example.test' }] }, undefined, {
      prefer: 'respond-async',
    });
    expect(queued.status).toBe(202);
    expect(queued.headers.get('location')).toBe(`/v1/lists/${listId}/contacts/imports/${queued.body.id}`);
    const job = await waitFor(
      async () => (await api('GET', queued.headers.get('location')!)).body,
      (body) => body.state === 'completed',
      { message: 'the import job to complete' },
    );
    expect(job).toMatchObject({ imported: 1, failed: [], unsubscribed: [], duplicates: [] });
    expect((await api('GET', `/v1/lists/${listId}/contacts/imports/01JUNKNOWN0000000000000000`)).status).toBe(404);
    await api('GET', `/v1/lists/${listId}/contacts?limit=2`);
    expect((await api('DELETE', `/v1/lists/${listId}/contacts/carl%40example.test`)).status).toBe(204);
    expect((await api('GET', `/v1/lists/${listId}/contacts/carl%40example.test`)).status).toBe(404);
    expect((await api('GET', '/v1/lists/01JUNKNOWN0000000000000000')).status).toBe(404);
  });

  it('campaigns and their figures', async () => {
    const created = await api(
      'POST',
      '/v1/campaigns',
      { list_id: listId, name: 'Spring', from: 'News <news@acme.test>', subject: 'Hi {{first_name}}', html: '<p>Hi</p>', tags: { k: 'v' } },
      undefined,
      { 'idempotency-key': 'spring' },
    );
    expect(created.status).toBe(202);
    await waitFor(
      async () => (await api('GET', `/v1/campaigns/${created.body.id}`)).body.status,
      (status) => status === 'sent',
      { message: 'the campaign to be sent' },
    );
    await api('GET', '/v1/campaigns?limit=5');
    await api('GET', `/v1/campaigns/${created.body.id}/stats`);
    await api('GET', `/v1/campaigns/${created.body.id}/links?limit=10`);
    expect((await api('GET', `/v1/campaigns/${created.body.id}/links?limit=0`)).status).toBe(400);
    expect((await api('GET', `/v1/campaigns/${ulid()}/links`)).status).toBe(404);
    await api('GET', `/v1/lists/${listId}/stats?from=${today()}&to=${today()}`);
    expect((await api('POST', '/v1/campaigns', { list_id: listId, from: 'a@acme.test', subject: '{{#if}}', text: 'x' })).status).toBe(422);
    const fromTemplate = await api('POST', '/v1/campaigns', { list_id: listId, from: 'news@acme.test', template_id: templateId });
    expect(fromTemplate.body).toMatchObject({ status: 'sending', template: { id: templateId, version: 2 } });
    await waitFor(
      async () => (await api('GET', `/v1/campaigns/${fromTemplate.body.id}`)).body.status,
      (status) => status === 'sent',
      { message: 'the campaign made from a template to be sent' },
    );
    const noTemplate = await api('POST', '/v1/campaigns', {
      list_id: listId,
      from: 'a@acme.test',
      template_id: '01JUNKNOWN0000000000000000',
    });
    expect(noTemplate).toMatchObject({ status: 404, body: { error: { code: 'template_not_found' } } });
  });

  it('reports and exports', async () => {
    await settled(runtime);
    for (const group of ['day', 'tag', 'domain']) await api('GET', `/v1/reports?from=${today()}&to=${today()}&group_by=${group}`);
    await api('GET', `/v1/reports/daily?from=${today()}&to=${today()}`);
    expect((await api('GET', '/v1/reports?from=yesterday')).status).toBe(400);
    const queued = await api('POST', '/v1/exports', { type: 'sends', from: today(), to: today() });
    const done = await waitFor(
      async () => (await api('GET', `/v1/exports/${queued.body.id}`)).body,
      (body) => body.status === 'done',
      { message: 'the export to be done' },
    );
    expect(done.download_url).toMatch(/^http/);
  });

  it('sending domains', async () => {
    const created = await api('POST', '/v1/domains', { name: 'shop.example' });
    expect(created.status).toBe(201);
    expect((await api('POST', '/v1/domains', { name: 'shop.example' })).status).toBe(200);
    const dkim = created.body.records.find((r: { purpose: string }) => r.purpose === 'dkim');
    // A TXT string holds at most 255 characters: the key is published in several.
    dns.zone.set(dkim.name, { txt: [(dkim.value as string).match(/.{1,255}/g)!] });
    const checked = await api('GET', '/v1/domains/shop.example');
    expect(checked.body.status).toBe('verified');
    await api('GET', '/v1/domains');
    expect((await api('DELETE', '/v1/domains/shop.example')).status).toBe(204);
    expect((await api('POST', '/v1/domains', { name: 'co.uk' })).status).toBe(422);
  });

  it('inbound routes, and their errors', async () => {
    expect((await api('POST', '/v1/domains', { name: 'routes.example' })).status).toBe(201);
    const hook = await api('POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hooks' });
    expect(hook.status).toBe(201);
    const route = await api('POST', '/v1/inbound-routes', { match: 'in.routes.example', webhook_id: hook.body.id });
    expect(route.status).toBe(201);
    expect((await api('POST', '/v1/inbound-routes', { match: 'in.routes.example', webhook_id: hook.body.id })).status).toBe(409);
    expect((await api('POST', '/v1/inbound-routes', { match: 'in.elsewhere.example', webhook_id: hook.body.id })).status).toBe(422);
    expect((await api('POST', '/v1/inbound-routes', { match: '@', webhook_id: hook.body.id })).status).toBe(400);
    expect(
      (await api('POST', '/v1/inbound-routes', { match: 'a@in.routes.example', webhook_id: '01HZZZZZZZZZZZZZZZZZZZZZZZ' })).status,
    ).toBe(404);
    expect((await api('GET', '/v1/inbound-routes')).body.data).toHaveLength(1);
    expect((await api('DELETE', `/v1/inbound-routes/${route.body.id}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/inbound-routes/${route.body.id}`)).status).toBe(404);
  });

  it('tenants, keys and SMTP credentials', async () => {
    expect((await api('POST', '/v1/tenants', { id: 'acme', name: 'Acme' })).status).toBe(201);
    expect((await api('POST', '/v1/tenants', { id: 'acme', name: 'Acme' })).status).toBe(409);
    await api('GET', '/v1/tenants');
    await api('PATCH', '/v1/tenants/acme', { relay: { type: 'smtp', url: 'smtp://u:secret@smtp.acme.test:587' } });
    await api('POST', '/v1/tenants/acme/pause', { reason: 'complaints' });
    await api('GET', '/v1/tenants/acme');
    await api('POST', '/v1/tenants/acme/resume');
    const key = await api('POST', '/v1/tenants/acme/keys', { scopes: ['read'], description: 'reports' });
    expect(
      (await api('POST', '/v1/messages', { from: 'a@acme.test', to: 'b@example.test', subject: 's', text: 't' }, key.body.key)).status,
    ).toBe(403);
    await api('GET', '/v1/tenants/acme/keys');
    expect((await api('DELETE', `/v1/tenants/acme/keys/${key.body.id}`)).status).toBe(204);
    const credential = await api('POST', '/v1/tenants/acme/smtp-credentials', { description: 'CMS' });
    await api('GET', '/v1/tenants/acme/smtp-credentials');
    expect((await api('DELETE', `/v1/tenants/acme/smtp-credentials/${credential.body.username}`)).status).toBe(204);
  });

  it('covered every group of routes', () => {
    const seen = [...checker.seen.keys()];
    expect(seen).toEqual(
      expect.arrayContaining([
        'sendMessage',
        'sendBatch',
        'getMessage',
        'listMessages',
        'putSuppression',
        'listSuppressions',
        'deleteSuppression',
        'createList',
        'addContact',
        'updateContact',
        'importContacts',
        'listContacts',
        'createCampaign',
        'getCampaign',
        'getCampaignStats',
        'getCampaignLinks',
        'getListStats',
        'getReport',
        'getDailyReport',
        'createExport',
        'getExport',
        'registerDomain',
        'checkDomain',
        'createInboundRoute',
        'listInboundRoutes',
        'deleteInboundRoute',
        'createTenant',
        'updateTenant',
        'pauseTenant',
        'createApiKey',
        'createSmtpCredential',
        'createUpload',
        'cancelMessage',
        'getImport',
        'createTemplate',
        'listTemplates',
        'getTemplate',
        'replaceTemplate',
        'deleteTemplate',
        'renderTemplate',
      ]),
    );
    // Each operation seen with the statuses it answered: 2xx and errors alike were checked.
    expect(checker.seen.get('sendMessage')).toEqual(new Set([202, 422, 400, 415, 404, 413, 403]));
    expect(checker.seen.get('cancelMessage')).toEqual(new Set([200, 409, 404]));
    expect(checker.seen.get('listMessages')).toEqual(new Set([200, 400]));
    expect(checker.seen.get('importContacts')).toEqual(new Set([200, 202]));
    expect(checker.seen.get('createTemplate')).toEqual(new Set([201, 409, 422, 400]));
    expect(checker.seen.get('renderTemplate')).toEqual(new Set([200, 400, 422]));
    expect(checker.seen.get('getCampaignLinks')).toEqual(new Set([200, 400, 404]));
  });
});
