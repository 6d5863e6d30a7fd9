/**
 * Item layout of the messages table (lib/topology.ts). Per message:
 * - the message item, `sk = "#"`: the MessageRecord fields without the bodies, and its
 *   recipients inline in `rcpt` (a map from address to the recipient's state) with their
 *   order in `rcptOrder`. It is small (well under 1 KB for a single send), and every write of
 *   a delivery (claim, completion, outcome) is one write of this one item;
 * - the body item, `sk = "b"`, when the message has a text or html part (or attachments): written
 *   once at acceptance and only read afterwards, so that no later write pays for the bodies
 *   again. The parts are kept deflated (`z`, raw DEFLATE of their JSON): mail text and HTML
 *   shrink two to six times, and write units and storage are billed by the byte. Attachments
 *   are described there too (name, type, size, where their bytes are); their bytes are not. When
 *   tracking rewrote the html, the sender's own html is kept there beside it (`sourceHtml`).
 * Only message items carry `tenant` and `createdAt`, so the `byTenant` index holds one entry
 * per message. Their `tenant` is the index's write-sharded partition, `<tenant>#<shard>`
 * (feed-keys.ts), and reads as the bare tenant in a MessageRecord. Message items also carry
 * `tenantAt`, and `statusKey` while their status is one the `byStatus` index keeps (feed-keys.ts).
 * Every item has `expiresAt` (TTL).
 */
import type { StoredAttachment } from '../../domain/attachments.ts';
import type { CarriedEvents, MessageRecord, RecipientRecord, RelayAnswer, StoredMessage } from '../../domain/message.ts';
import { packBodies, unpackBodies, type Bodies } from '../../domain/packed-bodies.ts';
import { STATUS_KEY, TENANT_AT, statusKeyOf, tenantAtOf, tenantKeyOf, tenantOfKey } from './feed-keys.ts';
import { toItem, withoutAttributes, type Item } from './marshalling.ts';

/** Sort key of the message item. */
export const MESSAGE_SK = '#';
/** Sort key of the body item. */
export const BODY_SK = 'b';
/** Attribute of the message item holding its recipients, by address. */
export const RECIPIENTS = 'rcpt';
/** Attribute of the message item listing the addresses in the order they were given. */
const ORDER = 'rcptOrder';
/** Set on the message item when a body item was written. */
const HAS_BODY = 'hasBody';
/** Rank of the outcome a recipient's `lastAnswer` came from (message-outcome.ts); storage only. */
export const ANSWER_RANK = 'answerRank';

// Storage-only attributes. `outcomeVersion` keeps recorded outcomes in order whatever order
// they arrive in (message-outcome.ts).
const MESSAGE_STORAGE = ['pk', 'sk', 'expiresAt', 'outcomeVersion', RECIPIENTS, ORDER, HAS_BODY, TENANT_AT, STATUS_KEY] as const;

/**
 * The events a recipient carries (RecipientRecord.carries), kept in few bytes: a write costs a
 * unit per KB of the item, and most message items are well under one. `cq` is the `queued`
 * event; `cs` the `sent` one as `<at>|<attempt>|<relay>`, its answer the recipient's `lastAnswer`
 * until a later outcome replaces that (message-outcome.ts), which keeps it in `csa` first.
 */
export const CARRIED_QUEUED = 'cq';
export const CARRIED_SENT = 'cs';
export const CARRIED_SENT_ANSWER = 'csa';

/** A recipient as kept in the message item's `rcpt` map: the RecipientRecord without its keys, its carried events packed. */
export type RecipientEntry = Omit<RecipientRecord, 'messageId' | 'email' | 'carries'> & {
  [ANSWER_RANK]?: number;
  [CARRIED_QUEUED]?: true;
  [CARRIED_SENT]?: string;
  [CARRIED_SENT_ANSWER]?: RelayAnswer;
};

/** Key of a message item. */
export function messageKey(id: string): Item {
  return toItem({ pk: id, sk: MESSAGE_SK });
}

/** Key of a body item. */
export function bodyKey(id: string): Item {
  return toItem({ pk: id, sk: BODY_SK });
}

/** A recipient's entry in the `rcpt` map (its lastAnswer ranks as the relay's own answer). */
export function recipientEntry(recipient: RecipientRecord): RecipientEntry {
  const { messageId: _messageId, email: _email, carries, ...entry } = recipient;
  const sent = carries?.sent;
  return {
    ...entry,
    ...(carries?.queued && { [CARRIED_QUEUED]: true }),
    ...(sent && { [CARRIED_SENT]: `${sent.at}|${sent.attempt}|${sent.relay}` }),
    ...(sent && !sameAnswer(sent.answer, recipient.lastAnswer) && { [CARRIED_SENT_ANSWER]: sent.answer }),
  };
}

function sameAnswer(a: RelayAnswer, b: RelayAnswer | undefined): boolean {
  return b !== undefined && a.code === b.code && a.enhanced === b.enhanced && a.response === b.response;
}

/** The events an entry carries, unpacked; undefined when it carries none. */
function carriesOf(entry: RecipientEntry): CarriedEvents | undefined {
  const packed = entry[CARRIED_SENT];
  const [at, attempt, relay] = typeof packed === 'string' ? packed.split('|') : [];
  const answer = entry[CARRIED_SENT_ANSWER] ?? entry.lastAnswer;
  const sent = at && attempt && relay !== undefined && answer ? { at, attempt: Number(attempt), relay, answer } : undefined;
  if (!entry[CARRIED_QUEUED] && !sent) return undefined;
  return { ...(entry[CARRIED_QUEUED] && { queued: true }), ...(sent && { sent }) };
}

/** The message item of a new message, recipients included, bodies left out. */
export function messageItem(stored: StoredMessage, expiresAt: number): Item {
  const { message, recipients } = stored;
  const { text, html, sourceHtml: _sourceHtml, attachments, ...content } = message.content;
  const rcpt = Object.fromEntries(recipients.map((recipient) => [recipient.email, recipientEntry(recipient)]));
  return toItem({
    ...message,
    content,
    pk: message.id,
    sk: MESSAGE_SK,
    tenant: tenantKeyOf(message.tenant, message.id),
    expiresAt,
    [RECIPIENTS]: rcpt,
    // A single recipient has no order to keep: every byte of the item is written again by each of its writes.
    ...(recipients.length > 1 && { [ORDER]: recipients.map((recipient) => recipient.email) }),
    ...((text !== undefined || html !== undefined || attachments !== undefined) && { [HAS_BODY]: true }),
    [TENANT_AT]: tenantAtOf(message.tenant, message.createdAt),
    [STATUS_KEY]: statusKeyOf(message.id, message.status),
  });
}

/** The body item of a new message (its bodies packed: packed-bodies.ts); undefined when it has neither a text nor an html part nor attachments. */
export function bodyItem(message: MessageRecord, expiresAt: number): Item | undefined {
  const z = packBodies(message.content);
  return z && toItem({ pk: message.id, sk: BODY_SK, z, expiresAt });
}

/** The parts of a body item (unmarshalled); an item of the first layout held them unpacked. */
function bodyParts(body: Record<string, unknown>): Bodies | Record<string, unknown> {
  return body.z instanceof Uint8Array ? unpackBodies(body.z) : body;
}

/** Every item of a new message: the message item, and its body item when it has one. */
export function newMessageItems(stored: StoredMessage, expiresAt: number): Item[] {
  const body = bodyItem(stored.message, expiresAt);
  return body ? [body, messageItem(stored, expiresAt)] : [messageItem(stored, expiresAt)];
}

/** Whether a message item (unmarshalled) says a body item was written for it. */
export function hasBody(item: Record<string, unknown>): boolean {
  return item[HAS_BODY] === true;
}

/** A message item (unmarshalled) as a MessageRecord, with the bodies of its body item when given. */
export function toMessageRecord(item: Record<string, unknown>, body?: Record<string, unknown>): MessageRecord {
  const record = withoutAttributes(item, MESSAGE_STORAGE) as unknown as MessageRecord;
  if (typeof item.tenant === 'string') record.tenant = tenantOfKey(item.tenant);
  if (!body) return record;
  const content = { ...record.content };
  const { text, html, sourceHtml, attachments } = bodyParts(body);
  if (typeof text === 'string') content.text = text;
  if (typeof html === 'string') content.html = html;
  if (typeof sourceHtml === 'string') content.sourceHtml = sourceHtml;
  if (Array.isArray(attachments)) content.attachments = attachments as StoredAttachment[];
  return { ...record, content };
}

/** The recipient entries of a message item (unmarshalled), by address. */
export function recipientEntries(item: Record<string, unknown>): Record<string, RecipientEntry> {
  return (item[RECIPIENTS] ?? {}) as Record<string, RecipientEntry>;
}

/** A message item's (unmarshalled) recipients as RecipientRecords, in the order they were given. */
export function toRecipientRecords(item: Record<string, unknown>): RecipientRecord[] {
  const entries = recipientEntries(item);
  const order = Array.isArray(item[ORDER]) ? (item[ORDER] as string[]) : Object.keys(entries);
  const messageId = String(item.pk ?? item.id);
  return order.flatMap((email) => {
    const entry = entries[email];
    if (!entry) return [];
    const { [ANSWER_RANK]: _rank, [CARRIED_QUEUED]: _queued, [CARRIED_SENT]: _sent, [CARRIED_SENT_ANSWER]: _answer, ...fields } = entry;
    const carries = carriesOf(entry);
    return [{ messageId, email, ...fields, ...(carries && { carries }) } as RecipientRecord];
  });
}

/** The StoredMessage of a message item (unmarshalled) and, when read, its body item. */
export function toStoredMessage(item: Record<string, unknown>, body?: Record<string, unknown>): StoredMessage {
  return { message: toMessageRecord(item, body), recipients: toRecipientRecords(item) };
}

/**
 * Whether the bodies a message item (unmarshalled) says it has are still in its partition's
 * `items`: both expire at once, but DynamoDB's TTL removes them one by one, within days.
 */
export function bodyKept(item: Record<string, unknown>, items: Record<string, unknown>[]): boolean {
  return !hasBody(item) || items.some((other) => other.sk === BODY_SK);
}

/** Assembles a StoredMessage from the items of one partition; undefined without a message item. */
export function storedOfPartition(items: Record<string, unknown>[]): StoredMessage | undefined {
  const message = items.find((item) => item.sk === MESSAGE_SK);
  if (!message) return undefined;
  return toStoredMessage(
    message,
    items.find((item) => item.sk === BODY_SK),
  );
}
