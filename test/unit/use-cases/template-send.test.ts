/** Sends that name a stored template, over in-memory fakes: rendered content, the version recorded, 404 and 422, batches. */
import { describe, expect, it } from 'vitest';
import { acceptBatch, acceptMessage, type AcceptDeps } from '../../../lib/use-cases/accept-message.ts';
import { CompiledTemplates } from '../../../lib/use-cases/compiled-templates.ts';
import { createTemplate, replaceTemplate, type TemplateDeps } from '../../../lib/use-cases/templates.ts';
import {
  clockAt,
  MemoryEventStore,
  MemoryMessageStore,
  MemorySendQueue,
  MemorySuppressionStore,
  MemoryTemplateStore,
  memoryLog,
} from '../../support/fakes/index.ts';

const T0 = '2026-11-28T15:00:00.000Z';
const receipt = { name: 'Receipt', subject: 'Order {{order.id}}', html: '<p>Hi {{name}}</p>', text: 'Hi {{name}}' };

/** Template deps over a fresh store; ids are ULID-shaped and increase. */
function templateDeps(store = new MemoryTemplateStore()) {
  let n = 0;
  return { templates: store, clock: clockAt(T0), newId: () => `01JD${String(++n).padStart(22, '0')}` } satisfies TemplateDeps;
}

function acceptDeps(templates: MemoryTemplateStore) {
  let n = 0;
  return {
    messages: new MemoryMessageStore(),
    events: new MemoryEventStore(),
    suppressions: new MemorySuppressionStore(),
    queue: new MemorySendQueue(),
    clock: clockAt(T0),
    newId: () => `01M8${String(++n).padStart(22, '0')}`,
    log: memoryLog(),
    templates,
  } satisfies AcceptDeps;
}

describe('sending with a stored template', () => {
  const send = (id: string, data: object = { name: 'Ann', order: { id: 42 } }) => ({
    from: 'Shop <orders@shop.example>',
    to: 'ann@example.com',
    template: { id, data },
    tags: { kind: 'receipt' },
  });

  it('stores the rendered content with the template id and version, and queues it', async () => {
    const setup = templateDeps();
    const { id } = await createTemplate(setup, 'acme', receipt);
    await replaceTemplate(setup, 'acme', id, receipt);
    const deps = acceptDeps(setup.templates);
    const accepted = await acceptMessage(deps, 'acme', send(id, { name: '<b>Ann</b>', order: { id: 42 } }));
    const stored = deps.messages.byId.get(accepted.id)!.message;
    expect(stored.template).toEqual({ id, version: 2 });
    expect(stored.content).toMatchObject({ subject: 'Order 42', html: '<p>Hi &lt;b&gt;Ann&lt;/b&gt;</p>', text: 'Hi <b>Ann</b>' });
    expect(stored.tags).toEqual({ kind: 'receipt' });
    expect(deps.queue.jobs.map((j) => j.messageId)).toEqual([accepted.id]);
  });

  it('answers 422 naming the problem when the template does not render with the data, storing and queueing nothing', async () => {
    const setup = templateDeps();
    const { id } = await createTemplate(setup, 'acme', { name: 'Bare', subject: '{{title}}', text: '{{body}}' });
    const deps = acceptDeps(setup.templates);
    await expect(acceptMessage(deps, 'acme', send(id, { body: 'no title' }))).rejects.toMatchObject({
      status: 422,
      code: 'template_error',
      details: { part: 'subject', message: expect.stringMatching(/empty/) },
    });
    await expect(acceptMessage(deps, 'acme', send('01JD9999999999999999999999'))).rejects.toMatchObject({ code: 'template_not_found' });
    await expect(acceptMessage(deps, 'globex', send(id))).rejects.toMatchObject({ code: 'template_not_found' });
    expect(deps.messages.byId.size).toBe(0);
    expect(deps.queue.jobs).toEqual([]);
  });

  it('reads and compiles each template once per batch; each message gets its own result', async () => {
    const setup = templateDeps();
    const { id } = await createTemplate(setup, 'acme', receipt);
    const bare = await createTemplate(setup, 'acme', { name: 'Bare', subject: '{{title}}', text: '{{body}}' });
    const deps = acceptDeps(setup.templates);
    setup.templates.reads = 0;
    const { results } = await acceptBatch(deps, 'acme', {
      messages: [
        send(id),
        send(bare.id, {}),
        send(id, { name: 'Carl', order: { id: 7 } }),
        send('01JD9999999999999999999999'),
        send(bare.id, { title: 'T' }),
      ],
    });
    expect(results.map((r) => r.status_code)).toEqual([202, 422, 202, 404, 202]);
    expect(setup.templates.reads).toBe(3);
    const subjects = [...deps.messages.byId.values()].map((m) => m.message.content.subject).sort();
    expect(subjects).toEqual(['Order 42', 'Order 7', 'T']);
  });

  it('compiles each version once across requests when given the compiled templates', async () => {
    const setup = templateDeps();
    const { id } = await createTemplate(setup, 'acme', receipt);
    const deps = { ...acceptDeps(setup.templates), compiledTemplates: new CompiledTemplates() };
    await acceptMessage(deps, 'acme', send(id));
    await acceptMessage(deps, 'acme', send(id, { name: 'Bob', order: { id: 2 } }));
    expect(deps.compiledTemplates.count).toBe(1);
    await replaceTemplate(setup, 'acme', id, { ...receipt, subject: 'Changed {{order.id}}' });
    const accepted = await acceptMessage(deps, 'acme', send(id));
    expect(deps.messages.byId.get(accepted.id)!.message).toMatchObject({ content: { subject: 'Changed 42' }, template: { version: 2 } });
    expect(deps.compiledTemplates.count).toBe(2);
  });
});
