/** Campaigns: one message per subscribed contact of a list, sent through the normal pipeline. */
import * as z from 'zod';
import { formatMailbox, HEADER_UNSAFE_MESSAGE, isHeaderSafe, parseMailbox } from './address.ts';
import { MailroomError, ValidationError, type FieldProblem } from './errors.ts';
import { parseRequest, zodProblems } from './field-problems.ts';
import { base32Digest } from './fingerprint.ts';
import type { TemplateVersion } from './message.ts';
import { isReservedName, RESERVED_NAME_MESSAGE } from './reserved-names.ts';
import { MAX_SUBJECT } from './send-request.ts';

/** Work on the campaign queue. */
export type CampaignJob =
  /**
   * Fan out the campaign's next pages of contacts (from the cursor stored on the campaign).
   * `enqueuedAt` (epoch ms): on the first job, enqueued before the campaign was stored, which
   * waits a while for a campaign not found yet.
   */
  | { v: 1; kind: 'fanout'; tenant: string; campaignId: string; enqueuedAt?: number }
  /** Remove the contacts of a deleted list, a page at a time. */
  | { v: 1; kind: 'purge-list'; tenant: string; listId: string };

const JOB = z.discriminatedUnion('kind', [
  z.object({
    v: z.literal(1),
    kind: z.literal('fanout'),
    tenant: z.string().min(1).max(128),
    campaignId: z.string().min(1).max(64),
    enqueuedAt: z.number().int().nonnegative().optional(),
  }),
  z.object({ v: z.literal(1), kind: z.literal('purge-list'), tenant: z.string().min(1).max(128), listId: z.string().min(1).max(64) }),
]);

/** Parses a campaign queue message body; undefined when it is not a campaign job. */
export function parseCampaignJob(body: string): CampaignJob | undefined {
  try {
    const parsed = JOB.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Where a campaign is: fanning out, every contact handled, or given up. */
export const CAMPAIGN_STATUSES = ['sending', 'sent', 'failed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Counts of the fan-out so far, and where in the list it stands. */
export interface CampaignProgress {
  /** The contact page to read next (opaque, from the contact store); absent before the first page and after the last. */
  cursor?: string;
  /** Contacts read. */
  contacts: number;
  /** Messages created and handed to delivery. */
  queued: number;
  /** Contacts not mailed because they unsubscribed (the contact's status, or their own unsubscribe from the list or all marketing). */
  skipped_unsubscribed: number;
  /** Contacts not mailed because their address is on the suppression list. */
  skipped_suppressed: number;
  /** Contacts whose message could not be built (e.g. it rendered larger than a message may be). */
  failed: number;
}

/** Progress counters (everything but the cursor). */
export type ProgressCounts = Omit<CampaignProgress, 'cursor'>;

/** Open and click tracking of a campaign's messages. */
export interface CampaignTracking {
  opens: boolean;
  clicks: boolean;
}

/** A campaign: one message per subscribed contact of a list, personalised from templates. */
export interface CampaignRecord {
  /** Time-sortable id (ULID). */
  id: string;
  tenant: string;
  listId: string;
  name?: string;
  /** Formatted mailbox (`Name <address>`). */
  from: string;
  /** Formatted mailboxes. */
  replyTo: string[];
  /** Templates (Handlebars, see lib/domain/templates.ts). */
  subject: string;
  html?: string;
  text?: string;
  /** The stored template the parts were copied from when the campaign was created (`template_id`). */
  template?: TemplateVersion;
  tags: Record<string, string>;
  tracking: CampaignTracking;
  status: CampaignStatus;
  /** ISO times. */
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Base URL of the campaign's unsubscribe and tracking links, fixed when it was created. */
  publicUrl: string;
  progress: CampaignProgress;
  /** Why the campaign failed. */
  error?: string;
}

/** 404: no such campaign for this tenant (another tenant's campaign is also "not found"). */
export class CampaignNotFoundError extends MailroomError {
  constructor() {
    super(404, 'campaign_not_found', 'Campaign not found.');
  }
}

/** Progress at the start. */
export function emptyProgress(): ProgressCounts {
  return { contacts: 0, queued: 0, skipped_unsubscribed: 0, skipped_suppressed: 0, failed: 0 };
}

/** A validated `POST /v1/campaigns` body: its templates, or the id of a stored template to copy them from. */
export type CampaignRequest = {
  listId: string;
  name?: string;
  from: string;
  envelopeFrom: string;
  replyTo: string[];
  tags: Record<string, string>;
  tracking: CampaignTracking;
} & (
  | { subject: string; html?: string; text?: string; templateId?: never }
  | { templateId: string; subject?: never; html?: never; text?: never }
);

/** Longest campaign name. */
export const MAX_CAMPAIGN_NAME = 200;
/** Most reply-to addresses. */
export const MAX_REPLY_TO = 10;
/** Most tags, as on a message. */
export const MAX_CAMPAIGN_TAGS = 20;
const TAG_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
const printable = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .refine((v) => isHeaderSafe(v, true), HEADER_UNSAFE_MESSAGE);

/** A `POST /v1/campaigns` body as JSON (the checks beyond its types are in parseCampaignRequest). */
export const CAMPAIGN_REQUEST = z.strictObject({
  list_id: z.string(),
  name: printable(MAX_CAMPAIGN_NAME).optional(),
  from: z.string(),
  reply_to: z
    .union([z.string(), z.array(z.string()).max(MAX_REPLY_TO, `at most ${MAX_REPLY_TO} addresses`)], {
      error: 'must be an address or an array of addresses',
    })
    .optional(),
  // Required unless template_id names a stored template to copy it from.
  subject: printable(MAX_SUBJECT)
    .refine((v) => v.trim().length > 0, 'must not be empty')
    .optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  template_id: z.string().optional(),
  tags: z
    .record(z.string(), printable(256), { error: 'must be an object of tag names to strings' })
    .optional()
    .refine((t) => !t || Object.keys(t).length <= MAX_CAMPAIGN_TAGS, `at most ${MAX_CAMPAIGN_TAGS} tags`),
  tracking: z
    .strictObject({
      opens: z.boolean().optional(),
      clicks: z.boolean().optional(),
    })
    .optional(),
});

/**
 * Validates a `POST /v1/campaigns` body. Throws ValidationError naming every offending field.
 * The templates are only checked as strings here; compileTemplates checks them as templates.
 */
export function parseCampaignRequest(body: unknown): CampaignRequest {
  const parsed = parseRequest(CAMPAIGN_REQUEST, body);
  const problems: FieldProblem[] = parsed.success ? [] : zodProblems(parsed.error);
  const input = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const named = new Set(problems.map((p) => p.field));
  const more: FieldProblem[] = [];
  const from = typeof input.from === 'string' ? parseMailbox(input.from) : undefined;
  if (typeof input.from === 'string' && !from)
    more.push({ field: 'from', message: 'must be an email address, optionally with a display name' });
  const replyTo: string[] = [];
  const replies = typeof input.reply_to === 'string' ? [input.reply_to] : Array.isArray(input.reply_to) ? input.reply_to : [];
  replies.forEach((value, index) => {
    const mailbox = typeof value === 'string' ? parseMailbox(value) : undefined;
    const field = Array.isArray(input.reply_to) ? `reply_to[${index}]` : 'reply_to';
    if (mailbox) replyTo.push(formatMailbox(mailbox));
    else if (typeof value === 'string') more.push({ field, message: 'is not a valid email address' });
  });
  if (typeof input.list_id === 'string' && !/^[0-9A-Za-z]{1,64}$/.test(input.list_id))
    more.push({ field: 'list_id', message: 'is not a list id' });
  if (input.template_id !== undefined) {
    if (typeof input.template_id === 'string' && !/^[0-9A-Za-z]{1,64}$/.test(input.template_id))
      more.push({ field: 'template_id', message: 'is not a template id' });
    for (const part of ['subject', 'html', 'text'] as const) {
      if (input[part] !== undefined) more.push({ field: part, message: 'cannot be given with template_id: the template has it' });
    }
  } else {
    if (input.subject === undefined) more.push({ field: 'subject', message: 'is required' });
    if (input.html === undefined && input.text === undefined)
      more.push({ field: 'text', message: 'a body is required: give text, html or both' });
  }
  const tags = input.tags !== null && typeof input.tags === 'object' && !Array.isArray(input.tags) ? input.tags : {};
  for (const key of Object.keys(tags)) {
    if (isReservedName(key)) more.push({ field: `tags.${key}`, message: RESERVED_NAME_MESSAGE });
    else if (!TAG_KEY.test(key)) more.push({ field: `tags.${key}`, message: 'tag names use letters, digits, _ . - (at most 64)' });
  }
  const all = [...problems, ...more.filter((p) => !named.has(p.field))];
  if (!parsed.success || all.length || !from) throw new ValidationError('The campaign is invalid.', all);
  const data = parsed.data;
  const fields = {
    listId: data.list_id,
    ...(data.name !== undefined && { name: data.name }),
    from: formatMailbox(from),
    envelopeFrom: from.address,
    replyTo,
    tags: data.tags ?? {},
    // Clicks are tracked unless turned off; opens only when asked for (privacy proxies make them unreliable).
    tracking: { clicks: data.tracking?.clicks ?? true, opens: data.tracking?.opens ?? false },
  };
  if (data.template_id !== undefined) return { ...fields, templateId: data.template_id };
  return {
    ...fields,
    subject: data.subject ?? '',
    ...(data.html !== undefined && { html: data.html }),
    ...(data.text !== undefined && { text: data.text }),
  };
}

/**
 * The id of the campaign's message to `email`: the campaign id and 16 base32 characters (80
 * bits) of the SHA-256 of the address. The same contact always gets the same id, so a page
 * handled again creates nothing twice.
 */
export function campaignMessageId(campaignId: string, email: string): string {
  return `${campaignId}${base32Digest(email, 16)}`;
}

/** A campaign as the API shows it; `full` adds the templates. */
export function campaignView(campaign: CampaignRecord, full = false) {
  const { cursor: _cursor, ...progress } = campaign.progress;
  return {
    id: campaign.id,
    list_id: campaign.listId,
    ...(campaign.name !== undefined && { name: campaign.name }),
    status: campaign.status,
    from: campaign.from,
    ...(campaign.replyTo.length && { reply_to: campaign.replyTo }),
    subject: campaign.subject,
    ...(campaign.template && { template: campaign.template }),
    ...(full && campaign.html !== undefined && { html: campaign.html }),
    ...(full && campaign.text !== undefined && { text: campaign.text }),
    tags: campaign.tags,
    tracking: campaign.tracking,
    progress,
    created_at: campaign.createdAt,
    updated_at: campaign.updatedAt,
    ...(campaign.finishedAt !== undefined && { finished_at: campaign.finishedAt }),
    ...(campaign.error !== undefined && { error: campaign.error }),
  };
}
