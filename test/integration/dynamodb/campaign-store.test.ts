import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignExistsError, DynamoCampaignStore } from '../../../lib/adapters/dynamodb/campaign-store.ts';
import { emptyProgress, type CampaignRecord } from '../../../lib/domain/campaign.ts';
import { dynamoClient, freshTables } from '../../support/local-aws.ts';

const client = dynamoClient();
let store: DynamoCampaignStore;

beforeAll(async () => {
  store = new DynamoCampaignStore(client, (await freshTables(client)).campaigns);
});
afterAll(() => client.destroy());

function campaign(overrides: Partial<CampaignRecord> = {}): CampaignRecord {
  const at = new Date().toISOString();
  return {
    id: ulid(),
    tenant: 'acme',
    listId: ulid(),
    name: 'Spring',
    from: 'Acme <news@acme.example>',
    replyTo: [],
    subject: 'Hi {{first_name}}',
    html: '<p>Hi</p>',
    tags: { kind: 'news' },
    tracking: { clicks: true, opens: false },
    status: 'sending',
    createdAt: at,
    updatedAt: at,
    publicUrl: 'https://mail.example.com',
    progress: emptyProgress(),
    ...overrides,
  };
}

const counts = (add: Partial<ReturnType<typeof emptyProgress>>) => ({ ...emptyProgress(), ...add });
const now = Date.now();

describe('DynamoCampaignStore', () => {
  it('stores a campaign, reads it back unchanged, refuses its id twice, and keeps tenants apart', async () => {
    const created = campaign();
    await store.create(created);
    expect(await store.get('acme', created.id)).toEqual(created);
    await expect(store.create(created)).rejects.toBeInstanceOf(CampaignExistsError);
    expect(await store.get('other', created.id)).toBeUndefined();
  });

  it('lists a tenant’s campaigns newest first, page by page', async () => {
    const tenant = `t${ulid()}`;
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const c = campaign({ tenant });
      ids.push(c.id);
      await store.create(c);
    }
    const first = await store.list(tenant, { limit: 2 });
    expect(first.items.map((c) => c.id)).toEqual([ids[2], ids[1]]);
    const second = await store.list(tenant, { limit: 2, cursor: first.cursor! });
    expect(second.items.map((c) => c.id)).toEqual([ids[0]]);
    await expect(store.list('acme', { limit: 2, cursor: first.cursor! })).rejects.toThrow('cursor');
  });

  it('gives a page to one run at a time, and says whether a run took it before', async () => {
    const c = campaign();
    await store.create(c);
    const claim = (owner: string, cursor?: string, at = now) =>
      store.claimPage('acme', c.id, { ...(cursor && { cursor }), owner, now: at, until: at + 60_000 });
    expect(await claim('A')).toBe('first');
    expect(await claim('B')).toBe('busy');
    // The lease ran out (the run died): another takes the page, knowing it was taken before.
    expect(await claim('B', undefined, now + 61_000)).toBe('again');
    // A failed run gives its page back at once.
    await store.releasePage('acme', c.id, 'B');
    expect(await claim('C')).toBe('again');
    // Only a run at the campaign's cursor may claim: this one is elsewhere.
    expect(await claim('D', 'somewhere')).toBe('moved');
    expect(await store.claimPage('acme', 'nope', { owner: 'A', now, until: now + 1 })).toBe('moved');
  });

  it('counts a page once: the cursor moves only from where the page started', async () => {
    const c = campaign();
    await store.create(c);
    expect(
      await store.advance('acme', c.id, {
        to: 'page2',
        add: counts({ contacts: 100, queued: 98, skipped_unsubscribed: 1, skipped_suppressed: 1 }),
        at: new Date().toISOString(),
      }),
    ).toBe(true);
    // The same page recorded again (another run handled it too): refused, nothing added.
    expect(
      await store.advance('acme', c.id, { to: 'page2', add: counts({ contacts: 100, queued: 98 }), at: new Date().toISOString() }),
    ).toBe(false);
    expect((await store.get('acme', c.id))?.progress).toEqual({
      cursor: 'page2',
      contacts: 100,
      queued: 98,
      skipped_unsubscribed: 1,
      skipped_suppressed: 1,
      failed: 0,
    });
    expect(await store.claimPage('acme', c.id, { owner: 'A', now, until: now + 1000 })).toBe('moved');
    expect(await store.claimPage('acme', c.id, { cursor: 'page2', owner: 'A', now, until: now + 1000 })).toBe('first');
    // The last page: the campaign is sent and its cursor gone.
    expect(
      await store.advance('acme', c.id, {
        from: 'page2',
        add: counts({ contacts: 5, queued: 4, failed: 1 }),
        at: '2026-03-09T10:00:00.000Z',
      }),
    ).toBe(true);
    const sent = await store.get('acme', c.id);
    expect(sent).toMatchObject({
      status: 'sent',
      finishedAt: '2026-03-09T10:00:00.000Z',
      progress: { contacts: 105, queued: 102, failed: 1 },
    });
    expect(sent?.progress.cursor).toBeUndefined();
    expect(await store.advance('acme', c.id, { from: 'page2', add: counts({ contacts: 5 }), at: new Date().toISOString() })).toBe(false);
    expect(await store.claimPage('acme', c.id, { owner: 'B', now, until: now + 1000 })).toBe('moved');
    expect(await store.fail('acme', c.id, 'late', new Date().toISOString())).toBe(false);
  });

  it('can hand the next page to the run that recorded the last one, in the same write', async () => {
    const c = campaign();
    await store.create(c);
    expect(await store.claimPage('acme', c.id, { owner: 'A', now, until: now + 60_000 })).toBe('first');
    const at = new Date().toISOString();
    expect(
      await store.advance('acme', c.id, { to: 'page2', add: counts({ contacts: 1 }), at, claimNext: { owner: 'A', until: now + 60_000 } }),
    ).toBe(true);
    // Run A holds page 2: another run cannot take it, A itself may, and when its lease ends another finds it taken before.
    expect(await store.claimPage('acme', c.id, { cursor: 'page2', owner: 'B', now, until: now + 60_000 })).toBe('busy');
    expect(await store.claimPage('acme', c.id, { cursor: 'page2', owner: 'B', now: now + 61_000, until: now + 120_000 })).toBe('again');
  });

  it('fails a sending campaign once, with the reason', async () => {
    const c = campaign();
    await store.create(c);
    expect(await store.fail('acme', c.id, 'the fan-out failed 3 times', '2026-03-09T11:00:00.000Z')).toBe(true);
    expect(await store.get('acme', c.id)).toMatchObject({
      status: 'failed',
      error: 'the fan-out failed 3 times',
      finishedAt: '2026-03-09T11:00:00.000Z',
    });
    expect(await store.fail('acme', c.id, 'again', new Date().toISOString())).toBe(false);
    expect(await store.advance('acme', c.id, { add: counts({ contacts: 1 }), at: new Date().toISOString() })).toBe(false);
  });
});
