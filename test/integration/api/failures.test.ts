import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoMessageStore } from '../../../lib/adapters/dynamodb/message-store.ts';
import { localClientConfig } from '../../../lib/local/aws.ts';
import { freePort } from '../../../lib/local/ports.ts';
import type { ApiDeps } from '../../../lib/handlers/api-handler.ts';
import { createLogger } from '../../../lib/wiring.ts';
import { apiHarness, expectErrorDocument, sendBody, type ApiHarness } from './harness.ts';

const SECRET = 'arn:aws:dynamodb:eu-west-1:123456789012:table/prod-secret-messages';

describe('when SQS is unreachable', () => {
  let api: ApiHarness;
  let key: string;
  let deadSqs: SQSClient;

  beforeAll(async () => {
    // Nothing listens on a port just found free; one attempt, so the test does not wait on retries.
    deadSqs = new SQSClient({ ...localClientConfig(`http://127.0.0.1:${await freePort()}`), maxAttempts: 1 });
    api = await apiHarness({ handlerSqs: deadSqs });
    key = await api.newKey('tenant-a');
  });
  afterAll(() => {
    deadSqs.destroy();
    api.close();
  });

  it('answers 503 service_unavailable, stores nothing, and says nothing internal', async () => {
    const answer = await api.call('POST', '/v1/messages', { key, body: sendBody() });
    expectErrorDocument(answer, 503, 'service_unavailable');
    expect(answer.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|sqs/i);
    const failed = api.log.lines.find((e) => e.message === 'enqueue failed');
    expect(failed?.level).toBe('error');
    // The job goes first: with the queue down, the message is not stored at all.
    const { items } = await new DynamoMessageStore(api.dynamo, api.tables.messages).listByTenant('tenant-a', { limit: 10 });
    expect(items).toEqual([]);
  });

  it('leaves the Idempotency-Key to the same request, so that a retry runs again at once', async () => {
    const first = await api.call('POST', '/v1/messages', { key, body: sendBody(), headers: { 'Idempotency-Key': 'retry-me' } });
    const again = await api.call('POST', '/v1/messages', { key, body: sendBody(), headers: { 'Idempotency-Key': 'retry-me' } });
    expectErrorDocument(first, 503, 'service_unavailable');
    expectErrorDocument(again, 503, 'service_unavailable');
    // What the first try did is not known to the caller: the key stays bound to its body.
    const other = await api.call('POST', '/v1/messages', {
      key,
      body: sendBody({ subject: 'Another' }),
      headers: { 'Idempotency-Key': 'retry-me' },
    });
    expectErrorDocument(other, 409, 'idempotency_key_reused');
  });
});

/** The deps with a suppression store whose `findMany` throws `error`. */
function failingSuppressions(deps: ApiDeps, error: () => Error): ApiDeps {
  return {
    ...deps,
    suppressions: {
      ...deps.suppressions,
      findMany: async () => {
        throw error();
      },
      get: deps.suppressions.get.bind(deps.suppressions),
      put: deps.suppressions.put.bind(deps.suppressions),
      delete: deps.suppressions.delete.bind(deps.suppressions),
      list: deps.suppressions.list.bind(deps.suppressions),
    },
  };
}

describe('when a store fails unexpectedly', () => {
  let api: ApiHarness;
  let key: string;

  beforeAll(async () => {
    api = await apiHarness({
      adjust: (deps) =>
        failingSuppressions(deps, () => new TypeError(`Cannot read properties of undefined (reading 'Items') in ${SECRET}`)),
    });
    key = await api.newKey('tenant-a');
  });
  afterAll(() => api.close());

  it('answers a generic 500 without the error text, and logs it', async () => {
    const answer = await api.call('POST', '/v1/messages', { key, body: sendBody() });
    expectErrorDocument(answer, 500, 'internal_error');
    expect(answer.body).toEqual({ error: { code: 'internal_error', message: 'Something went wrong inside mailroom. Retry later.' } });
    expect(answer.text).not.toContain('prod-secret');
    expect(api.log.lines.filter((e) => e.level === 'error').at(-1)).toMatchObject({
      message: 'request failed',
      extra: { error: expect.objectContaining({ name: 'TypeError' }), path: '/v1/messages' },
    });
    // Nothing was queued for a request that failed.
    expect(await api.drainJobs()).toEqual([]);
  });
});

describe("a 500 in the service's log", () => {
  it('carries the error: name, message, stack and cause chain; never the body or the key', async () => {
    const api = await apiHarness({
      adjust: (deps) => ({
        ...failingSuppressions(
          deps,
          () => new Error('reading the suppressions failed', { cause: new RangeError('socket closed by the DynamoDB endpoint') }),
        ),
        log: createLogger('api'),
      }),
    });
    const key = await api.newKey('tenant-a');
    const written: string[] = [];
    const capture = (chunk: string | Uint8Array): boolean => {
      written.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    let answer;
    try {
      answer = await api.call('POST', '/v1/messages', { key, body: sendBody({ text: 'a body that stays private' }) });
    } finally {
      out.mockRestore();
      err.mockRestore();
      api.close();
    }
    expectErrorDocument(answer, 500, 'internal_error');
    const lines = written
      .join('')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const failed = lines.find((line) => line.message === 'request failed');
    expect(failed).toMatchObject({
      level: 'ERROR',
      path: '/v1/messages',
      error: {
        name: 'Error',
        message: 'reading the suppressions failed',
        cause: { name: 'RangeError', message: 'socket closed by the DynamoDB endpoint' },
      },
    });
    expect(JSON.stringify((failed?.error as { stack?: unknown }).stack)).toContain('reading the suppressions failed');
    expect(lines.filter((line) => line.level === 'WARN')).toEqual([]);
    const text = written.join('');
    expect(text).not.toContain(key);
    expect(text).not.toContain('stays private');
  });
});
