/** A campaign made from a stored template (`template_id`), over in-memory fakes. */
import { describe, expect, it } from 'vitest';
import type { CampaignRecord } from '../../../lib/domain/campaign.ts';
import type { StoredTemplate } from '../../../lib/domain/stored-template.ts';
import { createCampaign, type CampaignApiDeps } from '../../../lib/use-cases/campaigns.ts';
import { createTemplate, replaceTemplate, type TemplateDeps } from '../../../lib/use-cases/templates.ts';
import { clockAt, MemoryListStore, MemoryTemplateStore, memoryLog } from '../../support/fakes/index.ts';

const T0 = '2026-11-28T15:00:00.000Z';
const receipt = { name: 'Receipt', subject: 'Order {{order.id}}', html: '<p>Hi {{name}}</p>', text: 'Hi {{name}}' };

/** Template deps over a fresh store; ids are ULID-shaped and increase. */
function templateDeps(store = new MemoryTemplateStore()) {
  let n = 0;
  return { templates: store, clock: clockAt(T0), newId: () => `01JD${String(++n).padStart(22, '0')}` } satisfies TemplateDeps;
}

describe('a campaign from a stored template', () => {
  const LIST = '01JD0000000000000000000101';

  function campaignDeps(templates: MemoryTemplateStore) {
    const created: CampaignRecord[] = [];
    const deps = {
      campaigns: { create: async (c: CampaignRecord) => void created.push(c) },
      lists: new MemoryListStore({ id: LIST, tenant: 'acme', name: 'News', createdAt: T0, updatedAt: T0 }),
      campaignQueue: { enqueue: async () => undefined },
      clock: clockAt(T0),
      newId: () => '01JDCAMPA1GN00000000000000',
      log: memoryLog(),
      templates,
    } as unknown as CampaignApiDeps;
    return { deps, created };
  }

  it('copies the parts with the id and version, so that later changes leave the campaign as it was', async () => {
    const setup = templateDeps();
    const { id } = await createTemplate(setup, 'acme', receipt);
    const { deps, created } = campaignDeps(setup.templates);
    const view = await createCampaign(deps, 'acme', { list_id: LIST, from: 'news@shop.example', template_id: id }, 'https://mail.test');
    expect(view).toMatchObject({ subject: receipt.subject, html: receipt.html, text: receipt.text, template: { id, version: 1 } });
    await replaceTemplate(setup, 'acme', id, { ...receipt, subject: 'Changed' });
    expect(created[0]).toMatchObject({ subject: receipt.subject, template: { id, version: 1 } });
  });

  it("refuses another tenant's template as not found, creating nothing", async () => {
    const theirs: StoredTemplate = {
      id: '01JD7777777777777777777777',
      tenant: 'globex',
      ...receipt,
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    };
    const { deps, created } = campaignDeps(new MemoryTemplateStore(theirs));
    await expect(
      createCampaign(deps, 'acme', { list_id: LIST, from: 'news@shop.example', template_id: theirs.id }, 'https://mail.test'),
    ).rejects.toMatchObject({ status: 404, code: 'template_not_found' });
    expect(created).toEqual([]);
  });
});
