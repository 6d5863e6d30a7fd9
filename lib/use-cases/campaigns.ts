/**
 * Campaigns: `POST /v1/campaigns` checks a campaign, queues its fan-out and stores it; the
 * fan-out (run by the campaign function, off the request path) reads the list a page at a
 * time and makes one message per subscribed contact through the normal pipeline.
 *
 * A page is handled at least once and counted exactly once:
 * - each contact's message has an id derived from the campaign and the address, so a page
 *   handled again creates no second message (and delivery of the same attempt is claimed once);
 * - the run takes the page first (CampaignStore.claimPage). A page no run took before cannot
 *   have any message yet, so its messages are written in batches; a page taken before (a run
 *   failed or died on it) is written message by message, each only if it does not exist;
 * - the counts and the cursor move in one write conditional on the cursor the page started
 *   from, so a page recorded by another run is not counted again;
 * - a page's jobs are enqueued before its messages are stored, so that a run failing for good
 *   in the middle of a page leaves no stored message without a job.
 */
import { parseMailbox } from '../domain/address.ts';
import type { SenderPolicy } from '../ports/sender-policy.ts';
import {
  campaignMessageId,
  campaignView,
  CampaignNotFoundError,
  emptyProgress,
  parseCampaignRequest,
  type CampaignJob,
  type CampaignRecord,
  type CampaignRequest,
  type ProgressCounts,
} from '../domain/campaign.ts';
import { STORE_DEADLINE_MS, UNSTORED_JOB_MAX_AGE_MS } from '../domain/delivery-job.ts';
import { ServiceUnavailableError } from '../domain/errors.ts';
import type { MailEvent } from '../domain/events.ts';
import { listUnsubscribeHeaders, unsubscribeUrl, type LinkContext, type LinkSigner } from '../domain/links.ts';
import type { Contact } from '../domain/mailing-list.ts';
import { sendProblem, type SendRequest } from '../domain/send-request.ts';
import { templateVersion } from '../domain/stored-template.ts';
import { compileTemplates, type CampaignTemplates } from '../domain/templates.ts';
import { MAX_REQUEST_BYTES } from '../topology.ts';
import type { CampaignQueue } from '../ports/campaign-queue.ts';
import type { CampaignStore, PageClaim } from '../ports/campaign-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { ContactStore, ListStore } from '../ports/list-store.ts';
import type { Log } from '../ports/logger.ts';
import type { MessageBatchWriter } from '../ports/message-batch-writer.ts';
import { isMessageExistsError } from '../ports/message-store.ts';
import type { SendingGate } from '../ports/sending-gate.ts';
import type { TemplateStore } from '../ports/template-store.ts';
import { isSendingPaused } from './sending-gate.ts';
import type { UnsubscribeStore } from '../ports/unsubscribe-store.ts';
import { prepare, type AcceptDeps, type Prepared } from './accept-message.ts';
import { pageLimit, requireList } from './lists.ts';
import { requireTemplate } from './templates.ts';

/** What the API needs to create and read campaigns. */
export interface CampaignApiDeps {
  campaigns: CampaignStore;
  lists: ListStore;
  campaignQueue: CampaignQueue;
  clock: Clock;
  newId: () => string;
  log: Log;
  /** Refuses a tenant whose sending is paused (403 `sending_paused`); absent: every tenant may send. */
  gate?: SendingGate;
  /** Refuses a `from` whose domain the tenant has not verified (422 `domain_not_verified`); absent: any sender. */
  senders?: SenderPolicy;
  /** The tenant's stored templates, for a campaign that names one (`template_id`). */
  templates?: TemplateStore;
}

/** What the fan-out needs: accepting mail (suppressions, messages, events, the send queue) and the list. */
export interface FanOutDeps extends AcceptDeps {
  campaigns: CampaignStore;
  lists: ListStore;
  contacts: ContactStore;
  unsubscribes: UnsubscribeStore;
  batchWriter: MessageBatchWriter;
  /** The signer of unsubscribe and tracking links; their base URL is the campaign's. */
  signer: LinkSigner;
  /** Address that List-Unsubscribe offers beside the link (MAILROOM_UNSUBSCRIBE_MAILTO). */
  unsubscribeMailto?: string;
  /** Contacts per page; 100 by default. */
  pageSize?: number;
  /** Messages written or enqueued at once on a page handled again, and SQS batches in flight; 10 by default. */
  concurrency?: number;
  /** How long a run holds a page (ms): no other run takes the page before. The function's timeout by default. */
  pageLeaseMs?: number;
  /** Age after which a first fan-out job whose campaign is still not stored is dropped; UNSTORED_JOB_MAX_AGE_MS by default. */
  unstoredJobMaxAgeMs?: number;
}

/** Contacts per page of the fan-out. */
export const FANOUT_PAGE_SIZE = 100;
/** The longest a message may render to (subject and bodies): what the API accepts for a whole message. */
export const MAX_RENDERED_BYTES = MAX_REQUEST_BYTES;
const CAMPAIGN_ID = /^[0-9A-Za-z]{1,64}$/;
/** SendMessageBatch's limit. */
const QUEUE_BATCH = 10;
/** Delay of a page's jobs, enqueued before the page is written: long enough for the writes, short for campaign mail. */
const PAGE_JOB_DELAY_SECONDS = 2;

/**
 * The templates of a new campaign: as given, or copied from the stored template it names (404
 * `template_not_found`), with that template's id and version. A copy, so that changing the
 * stored template later changes no campaign.
 */
async function campaignParts(deps: CampaignApiDeps, tenant: string, input: CampaignRequest) {
  if (input.templateId === undefined) {
    const { subject, html, text } = input;
    return { subject, ...(html !== undefined && { html }), ...(text !== undefined && { text }) };
  }
  const { subject, html, text, ...template } = await requireTemplate(deps.templates, tenant, input.templateId);
  return { subject, ...(html !== undefined && { html }), ...(text !== undefined && { text }), template: templateVersion(template) };
}

/**
 * Creates a campaign and queues its fan-out: `202` with the campaign. The templates (given,
 * or copied from a stored template) are compiled first (422 `template_error`), then the list
 * is looked up (404 `list_not_found`). `publicUrl` is the base of the campaign's unsubscribe
 * and tracking links, fixed now. `id`: the campaign's id, the same for every try of an
 * idempotent request (a new one when absent); a campaign an earlier try created under it is
 * taken as it is (its second fan-out job finds the pages taken or done). The fan-out is queued
 * before the campaign is stored, as a message's job before the message, so that no campaign
 * is left `sending` without one: a fan-out that finds no campaign waits for it a while, then
 * gives up.
 */
export async function createCampaign(deps: CampaignApiDeps, tenant: string, body: unknown, publicUrl: string, id?: string) {
  await deps.gate?.check(tenant);
  const input = parseCampaignRequest(body);
  await deps.senders?.check(tenant, input.envelopeFrom);
  const parts = await campaignParts(deps, tenant, input);
  compileTemplates(parts);
  const list = await requireList(deps.lists, tenant, input.listId);
  const now = deps.clock.now();
  const { envelopeFrom: _envelopeFrom, listId: _listId, templateId: _templateId, subject: _s, html: _h, text: _t, ...fields } = input;
  let campaign: CampaignRecord = {
    id: id ?? deps.newId(),
    tenant,
    listId: list.id,
    ...fields,
    ...parts,
    status: 'sending',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    progress: emptyProgress(),
  };
  const enqueuedAt = now.getTime();
  try {
    await deps.campaignQueue.enqueue({ v: 1, kind: 'fanout', tenant, campaignId: campaign.id, enqueuedAt });
  } catch (error) {
    deps.log.error('campaign enqueue failed', { campaignId: campaign.id, error: String(error) });
    throw new ServiceUnavailableError('mailroom could not queue the campaign; nothing was sent. Retry later.', { cause: error });
  }
  if (deps.clock.now().getTime() - enqueuedAt > STORE_DEADLINE_MS) {
    // The fan-out may give up on the campaign any time now: one stored after that would never be sent.
    throw new ServiceUnavailableError(undefined, { cause: new Error(`campaign ${campaign.id} not stored in time`) });
  }
  try {
    await deps.campaigns.create(campaign);
  } catch (error) {
    const earlier = id !== undefined && (error as Error)?.name === 'CampaignExistsError' ? await deps.campaigns.get(tenant, id) : undefined;
    if (!earlier) throw error;
    campaign = earlier;
  }
  deps.log.info('campaign created', { campaignId: campaign.id, tenant, listId: list.id });
  return campaignView(campaign, true);
}

/** The tenant's campaign named by a path parameter. Throws CampaignNotFoundError (another tenant's too). */
export async function requireCampaign(campaigns: CampaignStore, tenant: string, rawId: string): Promise<CampaignRecord> {
  const campaign = CAMPAIGN_ID.test(rawId) ? await campaigns.get(tenant, rawId) : undefined;
  if (!campaign) throw new CampaignNotFoundError();
  return campaign;
}

export async function getCampaign(deps: Pick<CampaignApiDeps, 'campaigns'>, tenant: string, rawId: string) {
  return campaignView(await requireCampaign(deps.campaigns, tenant, rawId), true);
}

/** A page of the tenant's campaigns, newest first (without their templates). */
export async function listCampaigns(deps: Pick<CampaignApiDeps, 'campaigns'>, tenant: string, query: { limit?: string; cursor?: string }) {
  const page = await deps.campaigns.list(tenant, { limit: pageLimit(query.limit), ...(query.cursor && { cursor: query.cursor }) });
  return { data: page.items.map((campaign) => campaignView(campaign)), next_cursor: page.cursor ?? null };
}

/** Runs `task` on every item with at most `limit` at once; rejects with the first failure. */
async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What one page came to. */
interface PageOutcome {
  counts: ProgressCounts;
  prepared: Prepared[];
}

/** Everything a run needs about its campaign, worked out once. */
interface Run {
  campaign: CampaignRecord;
  templates: CampaignTemplates;
  envelopeFrom: string;
  /** Accept deps whose links are the campaign's (its public URL). */
  accept: AcceptDeps;
}

const byteLength = (value: string | undefined) => (value === undefined ? 0 : Buffer.byteLength(value, 'utf8'));

/** The message for one contact, or why it cannot be made (the contact is counted as failed). */
async function messageFor(deps: FanOutDeps, run: Run, contact: Contact): Promise<Prepared | string> {
  const { campaign } = run;
  const id = campaignMessageId(campaign.id, contact.email);
  const links: LinkContext = {
    baseUrl: campaign.publicUrl,
    signer: deps.signer,
    tenant: campaign.tenant,
    messageId: id,
    recipient: contact.email,
  };
  // A contact's address may be one that a relay would not deliver to as written (see sendProblem).
  const problem = sendProblem(contact.email);
  if (problem) return `the address cannot be sent to: ${problem}`;
  try {
    const parts = run.templates.render(contact.attributes ?? {}, {
      email: contact.email,
      unsubscribe_url: unsubscribeUrl(links, campaign.listId),
    });
    if (byteLength(parts.subject) + byteLength(parts.html) + byteLength(parts.text) > MAX_RENDERED_BYTES)
      return `the message renders larger than ${MAX_RENDERED_BYTES} bytes`;
    const request: SendRequest = {
      content: {
        from: campaign.from,
        to: [contact.email],
        cc: [],
        bcc: [],
        replyTo: campaign.replyTo,
        subject: parts.subject,
        ...(parts.html !== undefined && { html: parts.html }),
        ...(parts.text !== undefined && { text: parts.text }),
        headers: listUnsubscribeHeaders(links, campaign.listId, deps.unsubscribeMailto),
      },
      envelopeFrom: run.envelopeFrom,
      recipients: [{ email: contact.email, kind: 'to' }],
      tags: campaign.tags,
      metadata: {},
      tracking: campaign.tracking,
      ...(campaign.template && { template: campaign.template }),
    };
    // The suppressions were looked up for the whole page, and suppressed contacts skipped.
    const prepared = await prepare(run.accept, campaign.tenant, request, {
      id,
      list: campaign.listId,
      campaign: campaign.id,
      suppressed: new Map(),
    });
    return prepared.job ? prepared : 'no recipient left';
  } catch (error) {
    // Templates that compiled render for any contact; this is a safety net, not a path.
    return `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}`;
  }
}

/** Sorts a page's contacts into skipped ones and messages. */
async function preparePage(deps: FanOutDeps, run: Run, contacts: Contact[]): Promise<PageOutcome> {
  const { tenant, listId } = run.campaign;
  const counts = emptyProgress();
  counts.contacts = contacts.length;
  const subscribed = contacts.filter((contact) => contact.status !== 'unsubscribed');
  counts.skipped_unsubscribed = contacts.length - subscribed.length;
  const emails = subscribed.map((contact) => contact.email);
  const [unsubscribed, suppressed] = emails.length
    ? await Promise.all([deps.unsubscribes.findMany(tenant, listId, emails), deps.suppressions.findMany(tenant, emails)])
    : [new Map(), new Map()];
  const prepared: Prepared[] = [];
  let failure: { email: string; reason: string } | undefined;
  for (const contact of subscribed) {
    if (unsubscribed.has(contact.email)) counts.skipped_unsubscribed++;
    else if (suppressed.has(contact.email)) counts.skipped_suppressed++;
    else {
      const message = await messageFor(deps, run, contact);
      if (typeof message !== 'string') prepared.push(message);
      else {
        counts.failed++;
        failure ??= { email: contact.email, reason: message };
      }
    }
  }
  // Once per page, not per contact: a campaign whose every message is too large must not flood the log.
  if (failure) deps.log.warn('campaign messages not made', { campaignId: run.campaign.id, count: counts.failed, first: failure });
  counts.queued = prepared.length;
  return { counts, prepared };
}

/**
 * Hands a page's messages to delivery: enqueues their jobs, then stores the messages and their
 * events — jobs first, as for API mail (accept-message.ts, persist), so that a message is never
 * stored without a job, even when the run fails for good after this page. The jobs become
 * visible a few seconds later, by when the page is normally written. `fresh`: no run took the
 * page before, so the messages are written in batches; else each is created only if it does not
 * exist yet (delivery claims each attempt once, so a job enqueued again is harmless).
 */
async function sendPage(deps: FanOutDeps, prepared: Prepared[], fresh: boolean): Promise<void> {
  const limit = deps.concurrency ?? 10;
  const enqueuedAt = deps.clock.now().getTime();
  const jobs = prepared.flatMap((p) => (p.job ? [{ ...p.job, enqueuedAt }] : []));
  await eachLimited(chunks(jobs, QUEUE_BATCH), limit, (batch) => deps.queue.enqueue(batch, PAGE_JOB_DELAY_SECONDS));
  const inTime = () => {
    // Past it, delivery may have dropped the jobs: the page is handled again by a later run.
    if (deps.clock.now().getTime() - enqueuedAt > STORE_DEADLINE_MS) throw new Error('the page was not stored in time after its jobs');
  };
  const events: MailEvent[] = prepared.flatMap((p) => p.events);
  if (fresh) {
    inTime();
    await deps.batchWriter.writeNew(
      prepared.map((p) => p.stored),
      events,
    );
  } else {
    await eachLimited(prepared, limit, async (p) => {
      inTime();
      try {
        await deps.messages.create(p.stored);
      } catch (error) {
        if (!isMessageExistsError(error)) throw error;
      }
    });
    // Events have deterministic ids: those recorded already stay as they are.
    await deps.events.append(events);
  }
}

/**
 * Fans out the campaign's next pages, from the cursor stored on it, until the list is done
 * ('done': the campaign is `sent`) or `shouldStop()` says the time is up after a page ('more':
 * queue the job again). While the tenant's sending is paused it makes no further page
 * ('paused': queue the job again later; the campaign stays `sending`). A first job
 * (`enqueuedAt`, epoch ms) that finds no campaign yet waits for it until it is
 * UNSTORED_JOB_MAX_AGE_MS old ('waiting': queue the job again after unstoredJobDelaySeconds).
 * Nothing to do for a campaign that is missing, not sending, or that another run is fanning
 * out ('done'). Throws when a store or the queue fails: the page is then released, and the
 * job's retry handles it again without counting it twice.
 */
export async function fanOutCampaign(
  deps: FanOutDeps,
  tenant: string,
  campaignId: string,
  shouldStop: () => boolean,
  enqueuedAt?: number,
): Promise<'done' | 'more' | 'paused' | 'waiting'> {
  const campaign = await deps.campaigns.get(tenant, campaignId);
  if (!campaign && enqueuedAt !== undefined) {
    const age = deps.clock.now().getTime() - enqueuedAt;
    if (age < (deps.unstoredJobMaxAgeMs ?? UNSTORED_JOB_MAX_AGE_MS)) return 'waiting';
    deps.log.warn('fan-out dropped: its campaign was never stored', { campaignId, tenant, ageMs: age });
    return 'done';
  }
  if (!campaign || campaign.status !== 'sending') {
    deps.log.info('campaign fan-out skipped', { campaignId, status: campaign?.status ?? 'missing' });
    return 'done';
  }
  if (await isSendingPaused(deps.gate, tenant)) return 'paused';
  const mailbox = parseMailbox(campaign.from);
  let templates: CampaignTemplates;
  try {
    if (!mailbox) throw new Error(`the sender "${campaign.from}" is not an address`);
    templates = compileTemplates(campaign);
  } catch (error) {
    // Checked when the campaign was created; a stored campaign that fails them cannot ever be sent.
    await deps.campaigns.fail(tenant, campaignId, (error as Error).message, deps.clock.now().toISOString());
    return 'done';
  }
  if (!(await deps.lists.get(tenant, campaign.listId))) {
    await deps.campaigns.fail(tenant, campaignId, 'the list was deleted', deps.clock.now().toISOString());
    deps.log.warn('campaign list deleted', { campaignId, listId: campaign.listId });
    return 'done';
  }
  const run: Run = {
    campaign,
    templates,
    envelopeFrom: mailbox.address,
    accept: { ...deps, links: { signer: deps.signer, baseUrl: campaign.publicUrl } },
  };
  const owner = deps.newId();
  const leaseMs = deps.pageLeaseMs ?? 900_000;
  const limit = deps.pageSize ?? FANOUT_PAGE_SIZE;
  /** Reads and prepares the page at `from`: only reads, so it may run ahead of the page's claim. */
  const read = (from: string | undefined) => {
    const reading = (async () => {
      const page = await deps.contacts.page(tenant, campaign.listId, { limit, ...(from !== undefined && { cursor: from }) });
      return { next: page.cursor, outcome: await preparePage(deps, run, page.items) };
    })();
    // Awaited when its page comes; one read ahead and then not used must not fail the run.
    reading.catch(() => undefined);
    return reading;
  };
  let cursor = campaign.progress.cursor;
  let ahead = read(cursor);
  // Whether the last advance handed this run the page at `cursor` (then no other run ever took it).
  let held = false;
  for (;;) {
    let claim: PageClaim = 'first';
    if (!held) {
      const now = deps.clock.now().getTime();
      claim = await deps.campaigns.claimPage(tenant, campaignId, {
        ...(cursor !== undefined && { cursor }),
        owner,
        now,
        until: now + leaseMs,
      });
      if (claim === 'busy' || claim === 'moved') {
        deps.log.info('campaign page taken by another run', { campaignId, claim });
        return 'done';
      }
    }
    let next: string | undefined;
    let counts: ProgressCounts;
    try {
      const current = await ahead;
      next = current.next;
      // The next page is read and rendered while this one is written.
      if (next !== undefined) ahead = read(next);
      await sendPage(deps, current.outcome.prepared, claim === 'first');
      counts = current.outcome.counts;
    } catch (error) {
      await deps.campaigns.releasePage(tenant, campaignId, owner).catch(() => undefined);
      throw error;
    }
    // A pause stops the run like the end of its time: the next page is not taken, so a later run can.
    const paused = next !== undefined && (await isSendingPaused(deps.gate, tenant));
    const stop = next !== undefined && (paused || shouldStop());
    const now = deps.clock.now();
    const step = {
      ...(cursor !== undefined && { from: cursor }),
      ...(next !== undefined && { to: next }),
      add: counts,
      at: now.toISOString(),
      // Going on: the same write takes the next page for this run.
      ...(next !== undefined && !stop && { claimNext: { owner, until: now.getTime() + leaseMs } }),
    };
    if (!(await deps.campaigns.advance(tenant, campaignId, step))) {
      deps.log.info('campaign page recorded by another run', { campaignId });
      return 'done';
    }
    if (next === undefined) {
      const done = await deps.campaigns.get(tenant, campaignId);
      deps.log.info('campaign sent', { campaignId, ...done?.progress });
      return 'done';
    }
    cursor = next;
    held = !stop;
    if (stop) return paused ? 'paused' : 'more';
  }
}

/** Marks the job's campaign failed (its last try failed too); false when it was not sending. */
export async function failCampaign(
  deps: Pick<FanOutDeps, 'campaigns' | 'clock'>,
  job: Extract<CampaignJob, { kind: 'fanout' }>,
  reason: string,
): Promise<boolean> {
  return deps.campaigns.fail(job.tenant, job.campaignId, reason, deps.clock.now().toISOString());
}
