/**
 * Names that JavaScript objects give a meaning of their own (`__proto__`, `constructor`,
 * `prototype`) as the names a caller chooses: metadata, tags, contact attributes and CSV
 * columns, in single sends, batches, imports and campaigns. Each is a 400 naming the field
 * (in a batch or a JSON import, that entry's own problem), never a 5xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicLinks } from '../../lib/handlers/public-links.ts';
import { apiEvent } from '../integration/api/events.ts';
import { apiHarness, problemFields } from '../integration/api/harness.ts';
import { invokeChecked, sendBody, type Answer, type ApiHarness } from './support.ts';

const NAMES = ['__proto__', 'constructor', 'prototype'];

let api: ApiHarness;
let key: string;
let listId: string;
beforeAll(async () => {
  api = await apiHarness({
    adjust: (deps) => ({
      ...deps,
      publicLinks: publicLinks(
        async () => Buffer.alloc(32, 7),
        () => 'https://mail.example.test',
      ),
    }),
  });
  key = await api.newKey('tenant-a');
  listId = (await call('POST', '/v1/lists', JSON.stringify({ name: 'News' }))).body.id;
  expect((await call('POST', `/v1/lists/${listId}/contacts`, JSON.stringify({ email: 'ann@example.com' }))).status).toBe(201);
});
afterAll(() => api.close());

/** A request with the body as raw text: `{"__proto__": …}` written by hand stays a plain key. */
function call(method: string, path: string, body: string, contentType = 'application/json'): Promise<Answer> {
  return invokeChecked(api, apiEvent(method, path, { key, body, headers: { 'content-type': contentType } }));
}

/** A JSON object text with one member named `name`. */
const member = (name: string, value: string) => `{${JSON.stringify(name)}:${value}}`;
/** A send request (as JSON text) with `field` set to `value` (JSON text). */
const send = (field: string, value: string) => `${JSON.stringify(sendBody()).slice(0, -1)},${JSON.stringify(field)}:${value}}`;

describe.each(NAMES)('the name %s', (name) => {
  it('in metadata or tags of a message is a 400 naming it', async () => {
    for (const field of ['metadata', 'tags']) {
      const answer = await call('POST', '/v1/messages', send(field, member(name, field === 'tags' ? '"v"' : '1')));
      expect(answer.status).toBe(400);
      expect(answer.body.error.details).toContainEqual({ field: `${field}.${name}`, message: expect.stringMatching(/reserved/) });
    }
    expect(await api.drainJobs()).toEqual([]);
  });

  it('in one message of a batch is that message’s 400; the others are accepted', async () => {
    const messages = [JSON.stringify(sendBody()), send('metadata', member(name, '1')), send('tags', member(name, '"v"'))];
    const answer = await call('POST', '/v1/messages/batch', `{"messages":[${messages.join(',')}]}`);
    expect(answer.status).toBe(202);
    const [ok, metadata, tags] = answer.body.results;
    expect(ok.status_code).toBe(202);
    expect([metadata.status_code, tags.status_code]).toEqual([400, 400]);
    expect(metadata.error.details).toContainEqual({ field: `metadata.${name}`, message: expect.stringMatching(/reserved/) });
    expect(tags.error.details).toContainEqual({ field: `tags.${name}`, message: expect.stringMatching(/reserved/) });
    expect(await api.drainJobs()).toHaveLength(1);
  });

  it('as a contact attribute is a 400 naming it, on POST and PATCH', async () => {
    const attributes = member(name, '"x"');
    const added = await call('POST', `/v1/lists/${listId}/contacts`, `{"email":"bob@example.com","attributes":${attributes}}`);
    expect(added.status).toBe(400);
    expect(problemFields(added)).toEqual([`attributes.${name}`]);
    const changed = await call('PATCH', `/v1/lists/${listId}/contacts/ann%40example.com`, `{"attributes":${attributes}}`);
    expect(changed.status).toBe(400);
    expect(problemFields(changed)).toEqual([`attributes.${name}`]);
    expect((await call('GET', `/v1/lists/${listId}/contacts/ann%40example.com`, '')).body.attributes).toEqual({});
  });

  it('as an attribute of an imported row is that row’s problem; as a CSV column it refuses the file', async () => {
    const json = await call(
      'POST',
      `/v1/lists/${listId}/contacts/import`,
      `{"contacts":[{"email":"cy@example.com"},{"email":"di@example.com","attributes":${member(name, '"x"')}}]}`,
    );
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ imported: 1, failed: [{ row: 2, errors: [{ field: `attributes.${name}` }] }] });
    const csv = await call('POST', `/v1/lists/${listId}/contacts/import`, `email,${name}\ned@example.com,x\n`, 'text/csv');
    expect(csv.status).toBe(400);
    expect(csv.body.error.details).toEqual([{ field: 'header[2]', message: expect.stringMatching(/reserved/) }]);
  });

  it('as a tag of a campaign is a 400 naming it', async () => {
    const body = `{"list_id":"${listId}","from":"news@shop.example","subject":"Hi","text":"x","tags":${member(name, '"v"')}}`;
    const answer = await call('POST', '/v1/campaigns', body);
    expect(answer.status).toBe(400);
    expect(problemFields(answer)).toEqual([`tags.${name}`]);
  });
});
