/**
 * A sending report of 50,000 rows through the local runtime: POST /v1/exports queues a job,
 * the export poller runs the real handler off the request path, GET /v1/exports/{id} hands
 * out a signed link, and the CSV downloaded from it parses back (csv-parse) to exactly the
 * stored rows, every one of them checked. The data set is written straight into DynamoDB
 * Local with the adapters' item layout, not sent through the API (too slow). Prints the
 * seed and export times and the memory the export took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../lib/adapters/dynamodb/event-store.ts';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import type { MailEvent } from '../../../lib/domain/events.ts';
import { ENV } from '../../../lib/env.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { exportCsv } from '../../support/exports.ts';
import { startPipeline } from '../../support/pipeline.ts';
import {
  day,
  fixtureEvent,
  fixtureMessage,
  messageId,
  neutralised,
  recipientAnswer,
  recipientEmail,
  recipientStatus,
  RECIPIENTS_PER_MESSAGE,
  seedMessages,
  subjectOf,
} from './export-fixtures.ts';

const MESSAGES = 1000;
const FROM = day(-2);
const TO = day(-1);

let runtime: LocalRuntime;
let messages: DynamoMessageStore;
let events: DynamoEventStore;
const timings: Record<string, number> = {};

/** When message `i` of the big seed was accepted: the first at FROM 00:00:00.000, the last at TO 23:59:59.999. */
function createdAt(i: number): string {
  const start = Date.parse(`${FROM}T00:00:00.000Z`);
  const span = 2 * 86_400_000 - 1;
  return new Date(start + Math.floor((i * span) / (MESSAGES - 1))).toISOString();
}

beforeAll(async () => {
  runtime = await startPipeline();
  messages = new DynamoMessageStore(runtime.dynamo, runtime.env[ENV.messagesTable]!);
  events = new DynamoEventStore(runtime.dynamo, runtime.env[ENV.eventsTable]!, { concurrency: 16 });

  const started = Date.now();
  // In slices, so that the items of all 1,000 messages are never built at once.
  for (let start = 0; start < MESSAGES; start += 100) {
    const slice = Array.from({ length: 100 }, (_, k) => fixtureMessage('A', start + k, 'dev', createdAt(start + k)));
    await seedMessages(runtime.dynamo, runtime.env[ENV.messagesTable]!, slice);
  }
  timings.seedMessagesMs = Date.now() - started;
  // Just outside the range on either side, and another tenant's message inside it.
  await messages.create(fixtureMessage('B', 0, 'dev', `${day(-3)}T23:59:59.999Z`, 1));
  await messages.create(fixtureMessage('B', 1, 'dev', `${day(0)}T00:00:00.000Z`, 1));
  await messages.create(fixtureMessage('C', 0, 'other', createdAt(500), 2));
  // A `sent` event with the relay's answer for recipient 0 of every message, and a deferral for
  // recipient 8 of every hundredth; other recipients have none (an empty last event).
  const seeded: MailEvent[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const at = createdAt(i);
    seeded.push(fixtureEvent('A', i, 0, 'dev', at, 'sent', 1, { relay: 'smtp', answer: { code: 250, response: recipientAnswer(i, 0) } }));
    if (i % 100 === 0)
      seeded.push(
        fixtureEvent('A', i, 8, 'dev', at, 'deferred', 1, { relay: 'smtp', answer: { code: 451, response: recipientAnswer(i, 8) } }),
      );
  }
  await events.append(seeded);
  timings.seedMs = Date.now() - started;
}, 180_000);

afterAll(async () => {
  await runtime?.stop();
  console.info('50,000-row export', timings);
});

describe('sending report', () => {
  it('exports 50,000 recipient rows that parse back to exactly the stored data', async () => {
    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }, 25);
    const started = Date.now();
    const { job, download, bytes, records } = await exportCsv(runtime, 'sends', FROM, TO).finally(() => clearInterval(sampler));
    timings.exportMs = Date.now() - started;
    timings.peakHeapGrowthMb = Math.round((peakHeap - baseline.heapUsed) / 2 ** 20);
    timings.peakRssGrowthMb = Math.round((peakRss - baseline.rss) / 2 ** 20);
    timings.fileMb = Math.round(bytes.length / 2 ** 20);

    expect(job).toMatchObject({ type: 'sends', from: FROM, to: TO, status: 'done', row_count: MESSAGES * RECIPIENTS_PER_MESSAGE });
    expect(Date.parse(job.expires_at) - Date.now()).toBeGreaterThan(3500_000);
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="mailroom-sends-${FROM}-to-${TO}.csv"`);
    // UTF-8 with a byte order mark, records ending in CRLF.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3, 200).toString('utf8')).toMatch(
      /^message_id,created_at,from,to,subject,tags,status,last_event,last_event_at,relay_answer\r\n/,
    );

    const [header, ...rows] = records;
    expect(header).toEqual([
      'message_id',
      'created_at',
      'from',
      'to',
      'subject',
      'tags',
      'status',
      'last_event',
      'last_event_at',
      'relay_answer',
    ]);
    expect(rows).toHaveLength(MESSAGES * RECIPIENTS_PER_MESSAGE);
    // Oldest message first, its recipients in the order given: row k is message k/50, recipient k%50.
    rows.forEach((row, k) => {
      const i = Math.floor(k / RECIPIENTS_PER_MESSAGE);
      const r = k % RECIPIENTS_PER_MESSAGE;
      const at = createdAt(i);
      const last =
        r === 0
          ? ['sent', new Date(Date.parse(at) + 1000).toISOString()]
          : r === 8 && i % 100 === 0
            ? ['deferred', new Date(Date.parse(at) + 1000).toISOString()]
            : ['', ''];
      const expected = [
        messageId('A', i),
        at,
        '"Acme, Inc." <billing@acme.test>',
        recipientEmail(i, r),
        neutralised(subjectOf(i)),
        `campaign=c${i % 3}; kind=receipt`,
        recipientStatus(r),
        ...last,
        recipientAnswer(i, r),
      ];
      if (row.join('\u0000') !== expected.join('\u0000')) expect({ k, row }).toEqual({ k, row: expected });
    });
    expect(new Set(rows.map((row) => row[0])).size).toBe(MESSAGES);
    // A few cells the hard way, as a spreadsheet would see them.
    expect(rows[2 * RECIPIENTS_PER_MESSAGE]![4]).toBe(`'=HYPERLINK("http://evil.test","click")`);
    expect(rows[4 * RECIPIENTS_PER_MESSAGE]![4]).toBe('Line one\nline two');
    expect(rows[5 * RECIPIENTS_PER_MESSAGE]![4]).toBe('Grüße aus Köln — 日本 😀');
    expect(rows[1]![3]).toBe('zoë.0@exämple.test');
  }, 120_000);
});
