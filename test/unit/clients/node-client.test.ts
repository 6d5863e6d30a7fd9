/**
 * The Node client (clients/node): its generated files are what the routes describe now, its
 * requests are typed from them, and it speaks HTTP as the API expects (over a fake `fetch`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { DOCUMENT_FILE, generatedFiles, TYPES_FILE } from '../../../clients/node/generate.ts';
import { MailroomApiError, MailroomClient, type Message, type SuppressionPage } from '../../../clients/node/src/index.ts';

const REGENERATE = 'out of date: run `npm run client:generate` and commit clients/node/openapi.json and clients/node/src/schema.ts';

describe('the generated files', () => {
  it('are what the routes describe now (the OpenAPI document and its types)', async () => {
    const generated = await generatedFiles();
    expect(readFileSync(DOCUMENT_FILE, 'utf8') === generated.document, `${DOCUMENT_FILE} is ${REGENERATE}`).toBe(true);
    expect(readFileSync(TYPES_FILE, 'utf8') === generated.types, `${TYPES_FILE} is ${REGENERATE}`).toBe(true);
  });
});

/** A client over a fetch that records each request and answers `answer`. */
function fakeClient(answer: () => Response, url = 'https://mail.example.test/v1/') {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    requests.push({ url: String(input), init });
    return answer();
  };
  return { client: new MailroomClient({ url, apiKey: 'mr_test', fetch: fetch as typeof globalThis.fetch }), requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('MailroomClient', () => {
  it('sends the key, the JSON body and the Idempotency-Key to the route, without a doubled /v1', async () => {
    const { client, requests } = fakeClient(() => json(202, { id: '01M8', status: 'queued', rejected: [] }));
    const accepted = await client.sendMessage(
      { from: 'a@acme.test', to: 'b@example.test', subject: 'Hi', text: 'Hi' },
      { idempotencyKey: 'k-1' },
    );
    expect(accepted).toEqual({ id: '01M8', status: 'queued', rejected: [] });
    expect(requests[0]!.url).toBe('https://mail.example.test/v1/messages');
    expect(requests[0]!.init).toMatchObject({
      method: 'POST',
      headers: { authorization: 'Bearer mr_test', 'content-type': 'application/json', 'idempotency-key': 'k-1' },
      body: JSON.stringify({ from: 'a@acme.test', to: 'b@example.test', subject: 'Hi', text: 'Hi' }),
    });
  });

  it('encodes path parameters and the query, and answers undefined for a 204', async () => {
    const { client, requests } = fakeClient(() => new Response(null, { status: 204 }), 'http://127.0.0.1:3000');
    expect(await client.request('delete', '/v1/lists/{id}/contacts/{email}', { path: { id: '01M9', email: 'ann@example.test' } })).toBe(
      undefined,
    );
    await client.request('get', '/v1/lists', { query: { limit: 10, cursor: 'a b' } });
    expect(requests.map((r) => r.url)).toEqual([
      'http://127.0.0.1:3000/v1/lists/01M9/contacts/ann%40example.test',
      'http://127.0.0.1:3000/v1/lists?limit=10&cursor=a+b',
    ]);
  });

  it('fails with the error document’s status, code, message and details, and Retry-After', async () => {
    const problem = {
      error: { code: 'invalid_request', message: 'The message is invalid.', details: [{ field: 'to', message: 'is required' }] },
    };
    const { client } = fakeClient(() => json(400, problem));
    const failure = await client.getMessage('x').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MailroomApiError);
    expect(failure).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'The message is invalid.',
      details: problem.error.details,
    });
    expect((failure as MailroomApiError).retryable).toBe(false);

    const limited = fakeClient(() => json(429, { error: { code: 'rate_limited', message: 'Too many' } }, { 'retry-after': '2' }));
    expect(await limited.client.getMessage('x').catch((e: MailroomApiError) => [e.retryAfterSeconds, e.retryable])).toEqual([2, true]);

    const gateway = fakeClient(() => new Response('Service Unavailable', { status: 503 }));
    expect(await gateway.client.getMessage('x').catch((e: MailroomApiError) => [e.code, e.details])).toEqual([
      'http_error',
      'Service Unavailable',
    ]);
  });

  it('types each route’s parameters, body and answer from the document', () => {
    const { client } = fakeClient(() => json(200, {}));
    expectTypeOf(client.getMessage).returns.resolves.toEqualTypeOf<Message>();
    expectTypeOf(client.request<'get', '/v1/suppressions'>).returns.resolves.toEqualTypeOf<SuppressionPage>();
    // Checked by the compiler: each line below is a mistake the types catch.
    const mistakes = () => {
      // @ts-expect-error the path parameter is required
      void client.request('get', '/v1/messages/{id}');
      // @ts-expect-error no such query parameter
      void client.request('get', '/v1/suppressions', { query: { since: 1 } });
      // @ts-expect-error the body is required
      void client.request('post', '/v1/lists', {});
      // @ts-expect-error no such route
      void client.request('get', '/v1/nowhere');
      // @ts-expect-error a list's name is a string
      void client.request('post', '/v1/lists', { body: { name: 1 } });
    };
    expect(mistakes).toBeTypeOf('function');
  });
});
