/**
 * Stored templates through the local runtime, end to end: a send naming a template is
 * delivered with the rendered content (read back with mailparser from the capture relay), and
 * a campaign made from a template sends the parts it copied, whatever the template became after.
 */
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignMessageId } from '../../../lib/domain/campaign.ts';
import type { CapturedMail } from '../../../lib/local/capture-smtp.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, settled, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { waitFor } from '../../support/wait.ts';

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startPipeline();
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

/** The captured mails whose X-Mailroom-ID is one of `ids`, once `count` have come. */
async function mailsTo(ids: Set<string>, count: number): Promise<CapturedMail[]> {
  const mine = () =>
    runtime.capture!.messages().filter((mail) => ids.has(mail.headers.find(([name]) => name.toLowerCase() === 'x-mailroom-id')?.[1] ?? ''));
  await waitFor(
    () => mine().length,
    (arrived) => arrived >= count,
    { timeout: 30_000, interval: 100, message: `${count} mails` },
  );
  return mine();
}

async function createTemplate(body: object): Promise<string> {
  const created = await call(runtime, 'POST', '/v1/templates', body);
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('a send naming a stored template', () => {
  it('is delivered with the subject and bodies rendered from the data, html escaped and text not', async () => {
    const id = await createTemplate({
      name: 'Order shipped',
      subject: 'Order {{order.id}} has shipped',
      html: '<p>Hello {{name}},</p><p>{{order.items}} item(s) to {{order.address.city}}.</p>',
      text: 'Hello {{name}},\n{{order.items}} item(s) to {{order.address.city}}.',
    });
    const sent = await call(runtime, 'POST', '/v1/messages', {
      from: 'Acme <orders@acme.example>',
      to: 'Ann <ann@example.test>',
      template: { id, data: { name: '<script>alert("x")</script>', order: { id: 'A-17', items: 2, address: { city: 'Lyon' } } } },
      tags: { kind: 'shipping' },
    });
    expect(sent.status).toBe(202);
    const message = await waitForMessage(runtime, sent.body.id, (m) => m.status === 'sent');
    expect(message).toMatchObject({ subject: 'Order A-17 has shipped', template: { id, version: 1 }, tags: { kind: 'shipping' } });

    const [mail, ...others] = await mailsTo(new Set([sent.body.id]), 1);
    expect(others).toEqual([]);
    const parsed = await simpleParser(mail!.raw);
    expect(parsed.subject).toBe('Order A-17 has shipped');
    expect(parsed.html).toContain('<p>Hello &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;,</p><p>2 item(s) to Lyon.</p>');
    expect(parsed.html).not.toContain('<script>');
    expect(parsed.text?.trim()).toBe('Hello <script>alert("x")</script>,\n2 item(s) to Lyon.');
  });
});

describe('a campaign made from a stored template', () => {
  it('sends the parts copied when it was created, and records the template id and version', async () => {
    const id = await createTemplate({
      name: 'Monthly news',
      subject: 'News for {{first_name}}',
      html: '<p>Hi {{first_name}}</p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
      text: 'Hi {{first_name}}\nUnsubscribe: {{unsubscribe_url}}',
    });
    const list = await call(runtime, 'POST', '/v1/lists', { name: 'Readers' });
    const people = ['ann@readers.test', 'bob@readers.test'];
    for (const [email, name] of [
      [people[0], 'Ann'],
      [people[1], 'Bob'],
    ])
      expect((await call(runtime, 'POST', `/v1/lists/${list.body.id}/contacts`, { email, attributes: { first_name: name } })).status).toBe(
        201,
      );

    const created = await call(runtime, 'POST', '/v1/campaigns', { list_id: list.body.id, from: 'news@acme.example', template_id: id });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ subject: 'News for {{first_name}}', template: { id, version: 1 } });
    // A change to the template after the campaign was created does not reach it.
    const changed = await call(runtime, 'PUT', `/v1/templates/${id}`, { name: 'Monthly news', subject: 'CHANGED', text: 'CHANGED' });
    expect(changed.body.version).toBe(2);

    const ids = people.map((email) => campaignMessageId(created.body.id, email));
    const mails = await mailsTo(new Set(ids), 2);
    await settled(runtime, 45_000);
    const subjects = await Promise.all(mails.map(async (mail) => (await simpleParser(mail.raw)).subject));
    expect(subjects.sort()).toEqual(['News for Ann', 'News for Bob']);
    for (const mail of mails) expect(mail.text).toMatch(/^Hi (Ann|Bob)\nUnsubscribe: http:\/\//);
    const message = await call(runtime, 'GET', `/v1/messages/${ids[0]}`);
    expect(message.body.template).toEqual({ id, version: 1 });
    expect((await call(runtime, 'GET', `/v1/campaigns/${created.body.id}`)).body).toMatchObject({ template: { id, version: 1 } });

    const unknown = await call(runtime, 'POST', '/v1/campaigns', {
      list_id: list.body.id,
      from: 'news@acme.example',
      template_id: '01JD0000000000000000000000',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('template_not_found');
  }, 90_000);
});
