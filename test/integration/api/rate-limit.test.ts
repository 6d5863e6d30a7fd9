import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApiKeyStore } from '../../../lib/adapters/dynamodb/api-key-store.ts';
import { generateApiKey, hashApiKey, keyPrefix } from '../../../lib/domain/api-key.ts';
import { ENV } from '../../../lib/env.ts';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { startPipeline } from '../../support/pipeline.ts';

const LIMIT = 5;
let runtime: LocalRuntime;
let otherKey: string;
/** The limiter's time: it moves only when a test moves it, so every request of a burst falls in one second. */
let now = Date.now();
const clock = { now: () => new Date(now) };

beforeAll(async () => {
  runtime = await startPipeline({ env: { [ENV.apiRateLimit]: String(LIMIT) }, clock });
  otherKey = generateApiKey();
  await new DynamoApiKeyStore(runtime.dynamo, runtime.env[ENV.apiKeysTable]!).put({
    hash: hashApiKey(otherKey),
    prefix: keyPrefix(otherKey),
    tenant: 'other',
    scopes: ['read'],
    createdAt: new Date().toISOString(),
  });
});
afterAll(() => runtime.stop());

const get = (key: string) => fetch(`${runtime.apiUrl}/v1/suppressions`, { headers: { authorization: `Bearer ${key}` } });

async function burst(key: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const response = await get(key);
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as { error: { code: string; message: string } },
      };
    }),
  );
}

describe('per-tenant rate limit', () => {
  it('answers 429 with Retry-After once a tenant spends its requests for the second, and not for another tenant', async () => {
    // A second of its own, which lasts the whole burst however long a busy machine takes over it.
    now += 1000;
    const answers = await burst(runtime.apiKey, 30);
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(ok.length + limited.length).toBe(30);
    // The allowance is per second: the burst gets one second's worth, and no more.
    expect(ok).toHaveLength(LIMIT);
    expect(limited).toHaveLength(30 - LIMIT);
    for (const answer of limited) {
      expect(answer.retryAfter).toBe('1');
      expect(answer.body.error).toMatchObject({ code: 'rate_limited', details: { limit_per_second: LIMIT, retry_after_seconds: 1 } });
      expect(answer.body.error.message).toContain(`${LIMIT} per second`);
    }
    // The other tenant's allowance is its own.
    expect((await get(otherKey)).status).toBe(200);
  });

  it('lets the tenant in again after the wait', async () => {
    now += 1000;
    await burst(runtime.apiKey, 2 * LIMIT);
    expect((await get(runtime.apiKey)).status).toBe(429);
    // The Retry-After of one second, on the limiter's clock.
    now += 1000;
    expect((await get(runtime.apiKey)).status).toBe(200);
  });

  it('does not limit requests that fail authentication (API Gateway throttling covers those)', async () => {
    const answers = await Promise.all(Array.from({ length: 3 * LIMIT }, () => get('mr_wrong')));
    expect(answers.every((a) => a.status === 401)).toBe(true);
  });
});
