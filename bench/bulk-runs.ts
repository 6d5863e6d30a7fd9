/**
 * The benchmark's runs of messages that do not go in one per request: the same number of
 * messages posted to `POST /v1/messages/batch` in batches of 100, and one campaign to a list of
 * as many contacts. Each runs on the runtime of the single-send run, with the same counters,
 * reset first, and waits until the sink has every message and the stream function has counted
 * every `sent` event, as the single run does.
 */
import { performance } from 'node:perf_hooks';
import { campaignMessageId } from '../lib/domain/campaign.ts';
import type { LocalRuntime } from '../lib/local/runtime.ts';
import type { AwsRequestCounter, CounterSnapshot } from './aws-counter.ts';
import { httpApiRequests } from './cost.ts';
import type { Invocation, InvocationLog } from './invocations.ts';
import { waitUntil } from './local-run.ts';
import type { SmtpSink } from './sink.ts';
import { ratePerSecond } from './stats.ts';

/** What a run shares with the single-send run: the runtime, the sink and the counters. */
export interface RunContext {
  runtime: LocalRuntime;
  sink: SmtpSink;
  counter: AwsRequestCounter;
  invocations: InvocationLog;
  /** What the stream function would publish to SNS since the last reset. */
  sns: { requests: number; events: number };
  /** Whether the stream function has counted the `sent` event of each message. */
  counted(ids: readonly string[]): boolean;
  progress(line: string): void;
}

/** What a run measured, before it is priced. */
export interface BulkMeasure {
  sent: number;
  accepted: number;
  delivered: number;
  deliveredPerSecond: number;
  aws: CounterSnapshot;
  invocations: Invocation[];
  /** Billed HTTP API requests. */
  apiRequests: number;
  snsRequests: number;
  snsEvents: number;
  errors: string[];
}

/** A request to the local API with the dev key; the parsed answer. */
async function call(runtime: LocalRuntime, method: string, path: string, body?: string, contentType = 'application/json') {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${runtime.apiKey}`, ...(body !== undefined && { 'content-type': contentType }) },
    ...(body !== undefined && { body }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

function reset(ctx: RunContext): void {
  ctx.counter.reset();
  ctx.invocations.reset();
  ctx.sink.reset();
  ctx.sns.requests = 0;
  ctx.sns.events = 0;
}

/** Waits for delivery and counting of `ids`, then reads the counters. */
async function finish(
  ctx: RunContext,
  run: { sent: number; ids: string[]; startedAt: number; apiRequests: number; errors: string[] },
): Promise<BulkMeasure> {
  const { ids, errors } = run;
  await ctx.sink.waitFor(ids, 120_000 + ids.length * 50).catch((error: Error) => errors.push(error.message));
  if (!(await waitUntil(() => ctx.counted(ids), 60_000))) errors.push('the events stream did not process every sent event within 60 s');
  const arrivals = ids.flatMap((id) => ctx.sink.arrivals.get(id) ?? []);
  return {
    sent: run.sent,
    accepted: ids.length,
    delivered: arrivals.length,
    deliveredPerSecond: ratePerSecond(arrivals.length, run.startedAt, Math.max(...arrivals)),
    aws: ctx.counter.snapshot(),
    invocations: [...ctx.invocations.invocations],
    apiRequests: run.apiRequests,
    snsRequests: ctx.sns.requests,
    snsEvents: ctx.sns.events,
    errors,
  };
}

/**
 * Posts `messages` to `POST /v1/messages/batch`, `batchSize` a request, one request at a time
 * (so that the api function's durations are its own, not shared with other requests).
 */
export async function runBatches(ctx: RunContext, messages: unknown[], batchSize: number): Promise<BulkMeasure> {
  ctx.progress(`sending ${messages.length} messages in batches of ${batchSize}, one batch at a time`);
  reset(ctx);
  const errors: string[] = [];
  const ids: string[] = [];
  let apiRequests = 0;
  const startedAt = performance.now();
  for (let start = 0; start < messages.length; start += batchSize) {
    const body = JSON.stringify({ messages: messages.slice(start, start + batchSize) });
    apiRequests += httpApiRequests(Buffer.byteLength(body));
    try {
      const answer = await call(ctx.runtime, 'POST', '/v1/messages/batch', body);
      const results = (answer.body.results ?? []) as { status_code: number; id?: string; error?: { code?: string } }[];
      for (const result of results) {
        if (result.status_code === 202 && result.id) ids.push(result.id);
        else if (errors.length < 5) errors.push(`batch message answered ${result.status_code} ${result.error?.code ?? ''}`.trim());
      }
      if (answer.status !== 202 && errors.length < 5) errors.push(`batch API answered ${answer.status} ${answer.body.error?.code ?? ''}`);
    } catch (error) {
      if (errors.length < 5) errors.push(`batch request failed: ${(error as Error).message}`);
    }
  }
  ctx.progress(`${ids.length} accepted in batches; waiting for delivery`);
  return finish(ctx, { sent: messages.length, ids, startedAt, apiRequests, errors });
}

/**
 * Imports `count` contacts into a new list (not measured: a list is made once and mailed many
 * times), then creates one campaign to it and measures from there: the fan-out, delivery on
 * the bulk lane and the events.
 */
export async function runCampaign(ctx: RunContext, count: number, parts: { from: string; text: string }): Promise<BulkMeasure> {
  ctx.progress(`campaign: importing ${count} contacts into a list`);
  const list = await call(ctx.runtime, 'POST', '/v1/lists', JSON.stringify({ name: 'bench' }));
  if (list.status !== 201) throw new Error(`creating the campaign's list answered ${list.status}`);
  const listId = String(list.body.id);
  const emails = Array.from({ length: count }, (_, i) => `contact-${i}@example.org`);
  const csv = ['email,first_name', ...emails.map((email, i) => `${email},Reader ${i}`)].join('\n');
  const imported = await call(ctx.runtime, 'POST', `/v1/lists/${listId}/contacts/import`, csv, 'text/csv');
  if (imported.status === 202) {
    const done = async () => {
      const job = await call(ctx.runtime, 'GET', `/v1/lists/${listId}/contacts/imports/${imported.body.id}`);
      return job.body.state === 'completed' || job.body.state === 'failed' ? job.body : undefined;
    };
    let job: Record<string, unknown> | undefined;
    const deadline = performance.now() + 120_000;
    while (!(job = await done()) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    if (job?.imported !== count)
      throw new Error(`the contact import ended ${String(job?.state ?? 'too late')}, ${String(job?.imported)} imported`);
  } else if (imported.status !== 200 || imported.body.imported !== count) {
    throw new Error(`the contact import answered ${imported.status}, ${String(imported.body.imported)} imported`);
  }

  ctx.progress(`campaign: one campaign to the ${count} contacts`);
  reset(ctx);
  const errors: string[] = [];
  const startedAt = performance.now();
  const body = JSON.stringify({ list_id: listId, name: 'bench', from: parts.from, subject: 'Benchmark campaign', text: parts.text });
  const created = await call(ctx.runtime, 'POST', '/v1/campaigns', body);
  if (created.status !== 202) throw new Error(`creating the campaign answered ${created.status} ${created.body.error?.code ?? ''}`);
  const ids = emails.map((email) => campaignMessageId(String(created.body.id), email));
  return finish(ctx, { sent: count, ids, startedAt, apiRequests: httpApiRequests(Buffer.byteLength(body)), errors });
}
