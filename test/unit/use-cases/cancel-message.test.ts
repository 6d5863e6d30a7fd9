/** cancelMessage over in-memory ports: what a cancel writes and answers, and when it is refused. */
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../lib/domain/errors.ts';
import { acceptMessage, type AcceptDeps } from '../../../lib/use-cases/accept-message.ts';
import { cancelMessage } from '../../../lib/use-cases/cancel-message.ts';
import {
  clockAt,
  MemoryDeliveryScheduler,
  MemoryEventStore,
  MemoryMessageStore,
  MemorySendQueue,
  MemorySuppressionStore,
  memoryLog,
} from '../../support/fakes/index.ts';

const NOW = '2026-12-06T10:00:00.000Z';
const T = Date.parse(NOW);
const DAY = 86_400_000;
const body = { from: 'news@shop.example', to: ['ann@example.org', 'gone@example.org'], subject: 'Later', text: 'Hi' };

async function setup(sendAt?: number) {
  const fakes = {
    messages: new MemoryMessageStore(),
    events: new MemoryEventStore(),
    suppressions: new MemorySuppressionStore(),
    queue: new MemorySendQueue(),
    scheduler: new MemoryDeliveryScheduler(),
    clock: clockAt(NOW),
    log: memoryLog(),
  };
  await fakes.suppressions.put({ tenant: 'acme', email: 'gone@example.org', reason: 'hard_bounce', createdAt: NOW });
  const deps: AcceptDeps = { ...fakes, newId: () => '01CANCELME0000000000000000' };
  const { id } = await acceptMessage(deps, 'acme', { ...body, ...(sendAt !== undefined && { send_at: new Date(sendAt).toISOString() }) });
  fakes.clock.advance(60_000);
  return { deps, id, ...fakes };
}

describe('cancelMessage', () => {
  it('cancels a scheduled message: answers it canceled, records canceled events, and deletes its schedule', async () => {
    const { deps, id, events, scheduler, messages } = await setup(T + DAY);
    const answer = await cancelMessage(deps, 'acme', id);
    expect(answer).toMatchObject({
      id,
      status: 'canceled',
      send_at: new Date(T + DAY).toISOString(),
      recipients: [
        { email: 'ann@example.org', status: 'canceled' },
        { email: 'gone@example.org', status: 'rejected' },
      ],
    });
    const canceledAt = new Date(T + 60_000).toISOString();
    expect(events.events.filter((e) => e.type === 'canceled').map((e) => [e.recipient, e.at, e.attempt])).toEqual([
      ['ann@example.org', canceledAt, 0],
    ]);
    expect(answer.events.map((e) => e.type)).toEqual(['scheduled', 'rejected', 'canceled']);
    expect(scheduler.canceled).toEqual([id]);
    expect(messages.byId.get(id)!.message).toMatchObject({ status: 'canceled', updatedAt: canceledAt });
  });

  it('cancels a queued message not yet taken by delivery, or one waiting on the queue; there is no schedule to delete', async () => {
    for (const sendAt of [undefined, T + 10 * 60_000]) {
      const { deps, id, scheduler } = await setup(sendAt);
      expect(await cancelMessage(deps, 'acme', id)).toMatchObject({ status: 'canceled' });
      expect(scheduler.canceled).toEqual([]);
    }
  });

  it('answers a second cancel as the first, recording nothing twice', async () => {
    const { deps, id, events } = await setup(T + DAY);
    const first = await cancelMessage(deps, 'acme', id);
    deps.clock = clockAt(T + 120_000);
    expect(await cancelMessage(deps, 'acme', id)).toEqual(first);
    expect(events.events.filter((e) => e.type === 'canceled')).toHaveLength(1);
  });

  it('refuses with 409 not_cancelable once delivery has taken the message', async () => {
    const { deps, id, messages, events } = await setup(T + 5 * 60_000);
    await messages.claim(id, 1, T, T + 60_000);
    const refused = cancelMessage(deps, 'acme', id);
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toMatchObject({ status: 409, code: 'not_cancelable' });
    await expect(refused).rejects.toThrow('Delivery has taken it already');
    expect(events.events.filter((e) => e.type === 'canceled')).toEqual([]);
  });

  it('refuses a finished message, naming its status', async () => {
    const { deps, id, messages } = await setup();
    await messages.claim(id, 1, T, T + 60_000);
    const [ann, gone] = messages.byId.get(id)!.recipients;
    await messages.complete(id, 1, [{ ...ann!, status: 'sent', attempts: 1 }, gone!], 'sent', NOW);
    await expect(cancelMessage(deps, 'acme', id)).rejects.toThrow('It is sent');
  });

  it("answers 404 for another tenant's message, an unknown id and a malformed one", async () => {
    const { deps, id, messages } = await setup(T + DAY);
    for (const [tenant, which] of [
      ['other', id],
      ['acme', '01UNKNOWN00000000000000000'],
      ['acme', '../x'],
    ]) {
      await expect(cancelMessage(deps, tenant!, which!)).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(messages.byId.get(id)!.message.status).toBe('scheduled');
  });

  it('is answered when the schedule cannot be deleted: the schedule then finds the message canceled', async () => {
    const { deps, id, log } = await setup(T + DAY);
    deps.scheduler = {
      schedule: async () => undefined,
      cancel: async () => {
        throw new Error('scheduler unavailable');
      },
    };
    expect(await cancelMessage(deps, 'acme', id)).toMatchObject({ status: 'canceled' });
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'schedule of a canceled message not deleted' }));
  });
});
