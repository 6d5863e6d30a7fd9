/** Stored templates over in-memory fakes: CRUD and versions, names, tenants, and render previews. */
import { describe, expect, it } from 'vitest';
import { TemplateNameTakenError } from '../../../lib/domain/stored-template.ts';
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  renderTemplate,
  replaceTemplate,
  type TemplateDeps,
} from '../../../lib/use-cases/templates.ts';
import { clockAt, MemoryTemplateStore } from '../../support/fakes/index.ts';

const T0 = '2026-11-28T15:00:00.000Z';
const receipt = { name: 'Receipt', subject: 'Order {{order.id}}', html: '<p>Hi {{name}}</p>', text: 'Hi {{name}}' };

/** Template deps over a fresh store; ids are ULID-shaped and increase. */
function templateDeps(store = new MemoryTemplateStore()) {
  let n = 0;
  return { templates: store, clock: clockAt(T0), newId: () => `01JD${String(++n).padStart(22, '0')}` } satisfies TemplateDeps;
}

describe('template CRUD', () => {
  it('creates version 1, reads it back, and lists templates oldest first without bodies, a page at a time', async () => {
    const deps = templateDeps();
    const created = await createTemplate(deps, 'acme', receipt);
    expect(created).toEqual({ id: expect.any(String), ...receipt, version: 1, created_at: T0, updated_at: T0 });
    expect(await getTemplate(deps, 'acme', created.id)).toEqual(created);
    const second = await createTemplate(deps, 'acme', { name: 'Welcome', subject: 'Welcome', text: 'Hello' });
    expect(second.html).toBeNull();
    const first = await listTemplates(deps, 'acme', { limit: '1' });
    expect(first).toEqual({
      data: [{ id: created.id, name: 'Receipt', subject: receipt.subject, version: 1, created_at: T0, updated_at: T0 }],
      next_cursor: expect.any(String),
    });
    const rest = await listTemplates(deps, 'acme', { limit: '1', cursor: first.next_cursor! });
    expect(rest.data.map((t) => t.name)).toEqual(['Welcome']);
  });

  it('refuses a template that does not compile, storing nothing', async () => {
    const deps = templateDeps();
    await expect(createTemplate(deps, 'acme', { ...receipt, html: '<p>{{{name}}}</p>' })).rejects.toMatchObject({
      status: 422,
      code: 'template_error',
      details: { part: 'html' },
    });
    expect(deps.templates.templates.size).toBe(0);
  });

  it('bumps the version with each replacement, keeping created_at', async () => {
    const deps = templateDeps();
    const created = await createTemplate(deps, 'acme', receipt);
    deps.clock.advance(60_000);
    const v2 = await replaceTemplate(deps, 'acme', created.id, { ...receipt, subject: 'Your order {{order.id}}' });
    expect(v2).toMatchObject({ version: 2, subject: 'Your order {{order.id}}', created_at: T0, updated_at: '2026-11-28T15:01:00.000Z' });
    const v3 = await replaceTemplate(deps, 'acme', created.id, { name: 'Receipt', subject: 'x', text: 'only text' });
    expect(v3).toMatchObject({ version: 3, html: null, text: 'only text' });
    expect(await getTemplate(deps, 'acme', created.id)).toEqual(v3);
  });

  it('makes a replacement overtaken by another one again on top of it, so no version repeats', async () => {
    const deps = templateDeps();
    const created = await createTemplate(deps, 'acme', receipt);
    const store = deps.templates;
    const replace = store.replace.bind(store);
    let overtaken = false;
    store.replace = async (current, next) => {
      if (!overtaken) {
        overtaken = true;
        // Another request stores version 2 between this one's read and write.
        await replace(current, { ...current, subject: 'other', version: current.version + 1 });
      }
      return replace(current, next);
    };
    expect(await replaceTemplate(deps, 'acme', created.id, { ...receipt, subject: 'mine' })).toMatchObject({ version: 3, subject: 'mine' });
  });

  it('deletes a template: it is then not found, and its name is free again', async () => {
    const deps = templateDeps();
    const created = await createTemplate(deps, 'acme', receipt);
    await deleteTemplate(deps, 'acme', created.id);
    await expect(getTemplate(deps, 'acme', created.id)).rejects.toMatchObject({ status: 404, code: 'template_not_found' });
    await expect(deleteTemplate(deps, 'acme', created.id)).rejects.toMatchObject({ code: 'template_not_found' });
    expect((await createTemplate(deps, 'acme', receipt)).version).toBe(1);
  });

  it('keeps names unique per tenant in any case, on create and on rename', async () => {
    const deps = templateDeps();
    const created = await createTemplate(deps, 'acme', receipt);
    await expect(createTemplate(deps, 'acme', { ...receipt, name: ' RECEIPT ' })).rejects.toBeInstanceOf(TemplateNameTakenError);
    await expect(createTemplate(deps, 'acme', { ...receipt, name: 'receipt' })).rejects.toMatchObject({
      status: 409,
      code: 'template_name_taken',
    });
    // Another tenant may use the name; the same template may change the case of its own.
    await createTemplate(deps, 'globex', receipt);
    expect((await replaceTemplate(deps, 'acme', created.id, { ...receipt, name: 'RECEIPT' })).name).toBe('RECEIPT');
    const other = await createTemplate(deps, 'acme', { ...receipt, name: 'Other' });
    await expect(replaceTemplate(deps, 'acme', other.id, { ...receipt, name: 'receipt' })).rejects.toBeInstanceOf(TemplateNameTakenError);
  });

  it("answers another tenant's template, and ids that are none, as not found, changing nothing", async () => {
    const deps = templateDeps();
    const created = await createTemplate(deps, 'acme', receipt);
    for (const id of [created.id, 'nope', '../x', '']) {
      await expect(getTemplate(deps, 'globex', id)).rejects.toMatchObject({ status: 404, code: 'template_not_found' });
      await expect(replaceTemplate(deps, 'globex', id, receipt)).rejects.toMatchObject({ code: 'template_not_found' });
      await expect(deleteTemplate(deps, 'globex', id)).rejects.toMatchObject({ code: 'template_not_found' });
      await expect(renderTemplate(deps, 'globex', id, {})).rejects.toMatchObject({ code: 'template_not_found' });
    }
    expect(await getTemplate(deps, 'acme', created.id)).toEqual(created);
    expect((await listTemplates(deps, 'globex', {})).data).toEqual([]);
  });
});

describe('render preview', () => {
  it('renders the parts with the data: html escaped, text and subject not', async () => {
    const deps = templateDeps();
    const { id } = await createTemplate(deps, 'acme', receipt);
    const data = { name: '<script>x</script>', order: { id: 'A&1' } };
    expect(await renderTemplate(deps, 'acme', id, { data })).toEqual({
      subject: 'Order A&1',
      html: '<p>Hi &lt;script&gt;x&lt;/script&gt;</p>',
      text: 'Hi <script>x</script>',
    });
  });

  it('checks the data first, and answers 422 when the subject renders empty', async () => {
    const deps = templateDeps();
    const { id } = await createTemplate(deps, 'acme', { name: 'T', subject: '{{title}}', text: 't' });
    await expect(renderTemplate(deps, 'acme', id, { data: { a: [1] } })).rejects.toMatchObject({ status: 400 });
    await expect(renderTemplate(deps, 'acme', id, undefined)).rejects.toMatchObject({
      status: 422,
      code: 'template_error',
      details: { part: 'subject' },
    });
  });
});
