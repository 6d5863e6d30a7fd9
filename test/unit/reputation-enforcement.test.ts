/**
 * What a pause does and how the breaker reacts to a batch: sends and campaigns are refused
 * before anything is stored, a fan-out and a delivery wait without spending anything, and the
 * breaker pauses and notifies once.
 */
import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { SendingPausedError } from '../../lib/domain/errors.ts';
import { makeEvent, type EventDetail, type EventType } from '../../lib/domain/events.ts';
import { DEFAULT_REPUTATION_POLICY, hourOf } from '../../lib/domain/reputation.ts';
import type { Tenant } from '../../lib/domain/tenant.ts';
import { createCampaignHandler, PAUSED_RETRY_SECONDS, type CampaignHandlerDeps } from '../../lib/handlers/campaign-handler.ts';
import { lambdaContext } from '../../lib/local/lambda-context.ts';
import { systemClock } from '../../lib/ports/clock.ts';
import type { SendingGate } from '../../lib/ports/sending-gate.ts';
import { acceptBatch, acceptMessage, type AcceptDeps } from '../../lib/use-cases/accept-message.ts';
import { createCampaign, type CampaignApiDeps } from '../../lib/use-cases/campaigns.ts';
import { deliverMessage, type DeliverDeps } from '../../lib/use-cases/deliver-message.ts';
import { checkReputation, checkTenant, tenantsToCheck, type ReputationBreakerDeps } from '../../lib/use-cases/reputation-breaker.ts';
import { clockAt, MemoryNotifier, MemorySendQueue, MemoryTenantStore, memoryLog, tenant } from '../support/fakes/index.ts';

const REASON = 'bounce rate 6.2% over the last 24 h (threshold 5%)';
const pausedGate: SendingGate = { check: async () => Promise.reject(new SendingPausedError(REASON, '2026-11-28T15:00:00.000Z')) };

/** A fake whose every method fails the test if called: a pause must touch nothing. */
const untouchable = <T>(): T =>
  new Proxy(
    {},
    { get: (_, name) => (name === 'then' ? undefined : () => Promise.reject(new Error(`${String(name)} must not be called`))) },
  ) as T;

describe('while a tenant is paused', () => {
  it('POST /v1/messages and /v1/messages/batch are refused before anything is stored', async () => {
    const accept = {
      ...untouchableDeps<AcceptDeps>(['messages', 'events', 'suppressions', 'queue']),
      clock: systemClock,
      newId: () => 'id',
      log: memoryLog(),
      gate: pausedGate,
    } as AcceptDeps;
    const body = { from: 'a@shop.test', to: 'b@example.com', subject: 's', text: 't' };
    await expect(acceptMessage(accept, 'acme', body)).rejects.toMatchObject({
      status: 403,
      code: 'sending_paused',
      details: { reason: REASON },
    });
    await expect(acceptBatch(accept, 'acme', { messages: [body] })).rejects.toBeInstanceOf(SendingPausedError);
  });

  it('a campaign is not created', async () => {
    const deps = {
      ...untouchableDeps<CampaignApiDeps>(['campaigns', 'lists', 'campaignQueue']),
      clock: systemClock,
      newId: () => 'c1',
      log: memoryLog(),
      gate: pausedGate,
    } as CampaignApiDeps;
    await expect(createCampaign(deps, 'acme', {}, 'https://mail.test')).rejects.toBeInstanceOf(SendingPausedError);
  });

  it('a fan-out takes no page and its job comes back after the longest delay', async () => {
    const enqueue = vi.fn(async () => undefined);
    // Only `get` may be called: the pause is seen before any page is claimed.
    const campaigns = { get: async () => ({ id: 'c1', tenant: 'acme', status: 'sending' }) };
    const deps = {
      ...untouchableDeps<CampaignHandlerDeps>(['lists', 'contacts', 'messages']),
      campaigns,
      campaignQueue: { enqueue },
      gate: pausedGate,
      reserveMs: 1000,
      maxReceiveCount: 3,
      log: memoryLog(),
    } as unknown as CampaignHandlerDeps;
    const job = { v: 1, kind: 'fanout', tenant: 'acme', campaignId: 'c1' };
    const event = {
      Records: [{ messageId: 'r1', body: JSON.stringify(job), attributes: { ApproximateReceiveCount: '1' } }],
    } as unknown as SQSEvent;
    const answer = await createCampaignHandler(deps)(event, lambdaContext('campaign', 900) as Context);
    expect(answer).toEqual({ batchItemFailures: [] });
    expect(enqueue).toHaveBeenCalledWith(job, PAUSED_RETRY_SECONDS);
  });

  it('a delivery job is not sent: it goes back on the queue without claiming an attempt', async () => {
    const queue = new MemorySendQueue();
    const deps = {
      ...untouchableDeps<DeliverDeps>(['messages', 'events', 'suppressions', 'relay']),
      queue,
      clock: systemClock,
      maxDelaySeconds: 900,
      gate: pausedGate,
      log: memoryLog(),
    } as unknown as DeliverDeps;
    const job = { v: 1 as const, messageId: 'm1', tenant: 'acme', attempt: 2, recipients: 1 };
    expect(await deliverMessage(deps, job, { receiveCount: 1 })).toBe('postponed');
    expect(queue.enqueued).toEqual([{ job, delaySeconds: 900 }]);
  });
});

function untouchableDeps<T>(names: string[]): Partial<T> {
  return Object.fromEntries(names.map((name) => [name, untouchable()])) as Partial<T>;
}

const event = (tenant: string, type: EventType, detail: EventDetail = {}) =>
  makeEvent({ messageId: 'm1', tenant, recipient: 'r@example.com', type, at: '2026-11-28T15:00:00.000Z', attempt: 1, tags: {}, detail });

/** The breaker's dependencies with `known` tenants in memory and fixed hourly figures. */
function breakerWith(figures: { sent: number; bouncedHard: number; complained?: number }, ...known: Tenant[]) {
  const tenants = new MemoryTenantStore(...known);
  const notifier = new MemoryNotifier();
  const log = memoryLog();
  const clock = clockAt('2026-11-28T15:30:00.000Z');
  const deps: ReputationBreakerDeps = {
    tenants,
    counters: { hourly: vi.fn(async () => [{ hour: hourOf(clock.now().getTime()), complained: 0, ...figures }]) },
    notifier,
    policy: DEFAULT_REPUTATION_POLICY,
    clock,
    log,
  };
  /** The tenant's sending state as stored; undefined without a record. */
  const sendingOf = (id: string) => tenants.tenants.get(id)?.sending;
  return { deps, tenants, notices: notifier.notices, sendingOf, log };
}

describe('the breaker after a batch', () => {
  it('checks only tenants with hard bounces or complaints', () => {
    const events = [
      event('a', 'sent'),
      event('b', 'bounced', { bounceType: 'soft' }),
      event('c', 'bounced', { bounceType: 'hard' }),
      event('d', 'complained'),
      event('c', 'complained'),
    ];
    expect(tenantsToCheck(events)).toEqual(['c', 'd']);
  });

  it('pauses the tenant and publishes one notice, however often it is checked', async () => {
    const { deps, sendingOf, notices, log } = breakerWith({ sent: 938, bouncedHard: 62 });
    expect(await checkTenant(deps, 'acme')).toBe('paused');
    expect(await checkTenant(deps, 'acme')).toBe('already-paused');
    await checkReputation(deps, [event('acme', 'bounced', { bounceType: 'hard' })]);
    expect(sendingOf('acme')).toEqual({ status: 'paused', reason: REASON, pausedAt: '2026-11-28T15:30:00.000Z', by: 'breaker' });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      type: 'sending_paused',
      id: 'acme/sending_paused/2026-11-28T15:30:00.000Z',
      tenant: 'acme',
      reason: REASON,
      figures: { sent: 938, bouncedHard: 62 },
    });
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(['sending paused by the reputation breaker']);
  });

  it('counts from the clock hour after a resume, and over the whole window for a tenant never changed', async () => {
    const resumed = breakerWith({ sent: 938, bouncedHard: 62 }, tenant('acme', { status: 'active' }, '2026-11-28T15:05:00.000Z'));
    expect(await checkTenant(resumed.deps, 'acme')).toBe('ok');
    expect(resumed.deps.counters.hourly).toHaveBeenCalledWith('acme', '2026-11-28T16', '2026-11-28T15');

    const created = breakerWith({ sent: 938, bouncedHard: 62 }, tenant('acme', { status: 'active' }));
    expect(await checkTenant(created.deps, 'acme')).toBe('paused');
    expect(created.deps.counters.hourly).toHaveBeenCalledWith('acme', '2026-11-27T15', '2026-11-28T15');
  });

  it('leaves a tenant under its thresholds alone', async () => {
    const { deps, tenants, notices } = breakerWith({ sent: 960, bouncedHard: 40 });
    expect(await checkTenant(deps, 'acme')).toBe('ok');
    expect(tenants.tenants.size).toBe(0);
    expect(notices).toEqual([]);
  });

  it('keeps the pause when the notice cannot be published, and never fails the batch', async () => {
    const { deps, sendingOf, log } = breakerWith({ sent: 900, bouncedHard: 100 });
    deps.notifier.publishNotice = async () => Promise.reject(new Error('SNS down'));
    expect(await checkTenant(deps, 'acme')).toBe('paused');
    expect(sendingOf('acme')?.status).toBe('paused');
    expect(log.lines.some((l) => l.level === 'error' && l.message === 'sending_paused notification not published')).toBe(true);

    const failing = breakerWith({ sent: 900, bouncedHard: 100 });
    failing.deps.counters.hourly = async () => Promise.reject(new Error('throttled'));
    await expect(checkReputation(failing.deps, [event('acme', 'complained')])).resolves.toBeUndefined();
    expect(failing.log.lines.map((l) => l.message)).toEqual(['reputation check failed']);
  });

  it('reads nothing when both thresholds are 0', async () => {
    const { deps } = breakerWith({ sent: 0, bouncedHard: 1000 });
    const off = { ...deps, policy: { ...deps.policy, bounceRate: 0, complaintRate: 0 } };
    await checkReputation(off, [event('acme', 'bounced', { bounceType: 'hard' })]);
    expect(deps.counters.hourly).not.toHaveBeenCalled();
  });
});
