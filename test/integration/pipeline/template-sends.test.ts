/**
 * Stored templates through the local runtime, end to end: a send naming a template is
 * delivered with the rendered content (read back with mailparser from the capture relay).
 */
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedMail } from '../../../lib/local/capture-smtp.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
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
