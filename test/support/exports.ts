/** Export jobs through a local runtime's API: create, wait, download and parse. */
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { DynamoApiKeyStore } from '../../lib/adapters/dynamodb/api-key-store.ts';
import { generateApiKey, hashApiKey, keyPrefix, type ApiKeyScope } from '../../lib/domain/api-key.ts';
import { ENV } from '../../lib/env.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { call, type ApiAnswer } from './pipeline.ts';
import { waitFor } from './wait.ts';

/** A new API key of a tenant, stored in the runtime's keys table. */
export async function newKey(runtime: LocalRuntime, tenant: string, scopes: ApiKeyScope[]): Promise<string> {
  const key = generateApiKey();
  await new DynamoApiKeyStore(runtime.dynamo, runtime.env[ENV.apiKeysTable]!).put({
    hash: hashApiKey(key),
    prefix: keyPrefix(key),
    tenant,
    scopes,
    createdAt: new Date().toISOString(),
  });
  return key;
}

/** Headers that call with `key` instead of the dev key (none: the dev key). */
export function as(key: string | undefined): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** Polls GET /v1/exports/{id} until the export is done or failed. */
export async function waitForExport(runtime: LocalRuntime, id: string, key?: string, timeoutMs = 60_000): Promise<ApiAnswer['body']> {
  return waitFor(
    async () => {
      const { status, body } = await call(runtime, 'GET', `/v1/exports/${id}`, undefined, as(key));
      expect(status).toBe(200);
      return body;
    },
    (body) => body.status === 'done' || body.status === 'failed',
    { timeout: timeoutMs, message: `export ${id} to finish` },
  );
}

/** Creates an export, waits for it, downloads the file and parses it back with csv-parse. */
export async function exportCsv(runtime: LocalRuntime, type: 'sends' | 'errors', from: string, to: string, key?: string) {
  const created = await call(runtime, 'POST', '/v1/exports', { type, from, to }, as(key));
  expect(created.status).toBe(202);
  expect(created.body).toEqual({ id: expect.any(String), status: 'queued' });
  const job = await waitForExport(runtime, created.body.id, key);
  expect(job.status).toBe('done');
  const download = await fetch(job.download_url);
  expect(download.status).toBe(200);
  const bytes = Buffer.from(await download.arrayBuffer());
  return { job, download, bytes, records: parse(bytes, { bom: true }) as string[][] };
}
