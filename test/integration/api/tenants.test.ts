import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSmtpCredentialStore } from '../../../lib/adapters/dynamodb/smtp-credential-store.ts';
import { MemorySecretStore } from '../../../lib/adapters/secrets/folder-secret-store.ts';
import { SmtpCredentialAuthenticator } from '../../../lib/use-cases/smtp-credentials.ts';
import { apiHarness, expectErrorDocument, sendBody, type ApiHarness } from './harness.ts';

let api: ApiHarness;
let secrets: MemorySecretStore;
let operator: string;
let adminA: string;
let adminB: string;
let sendA: string;

beforeAll(async () => {
  secrets = new MemorySecretStore();
  api = await apiHarness({
    adjust: (deps) => ({
      ...deps,
      tenantSecrets: secrets,
      ipPools: { 'dedicated-1': 'mailroom-pool-1' },
      deploymentRelayIsSes: true,
      configurationSets: ['mailroom-events', 'mailroom-pool-1'],
    }),
  });
  [operator, adminA, adminB, sendA] = await Promise.all([
    api.newKey('operator', ['admin']),
    api.newKey('tenant-a', ['admin']),
    api.newKey('tenant-b', ['admin']),
    api.newKey('tenant-a', ['send', 'read']),
  ]);
  for (const id of ['tenant-a', 'tenant-b'])
    expect((await api.call('POST', '/v1/tenants', { key: operator, body: { id, name: id.toUpperCase() } })).status).toBe(201);
});
afterAll(() => api.close());

describe('tenants (operator)', () => {
  it('creates, lists, reads and changes tenants; only the operator may', async () => {
    const created = await api.call('POST', '/v1/tenants', { key: operator, body: { id: 'acme', name: 'Acme Inc' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'acme', name: 'Acme Inc', relay: null, ip_pool: 'shared', sending: { status: 'active' } });
    expectErrorDocument(
      await api.call('POST', '/v1/tenants', { key: operator, body: { id: 'acme', name: 'again' } }),
      409,
      'tenant_exists',
    );
    const invalid = await api.call('POST', '/v1/tenants', { key: operator, body: { id: 'no spaces', name: '', extra: 1 } });
    expectErrorDocument(invalid, 400, 'invalid_request');
    expect(invalid.body.error.details.map((p: { field: string }) => p.field).sort()).toEqual(['extra', 'id', 'name']);

    const first = await api.call('GET', '/v1/tenants', { key: operator, query: { limit: '2' } });
    expect(first.body.data.map((t: { id: string }) => t.id)).toEqual(['acme', 'tenant-a']);
    const rest = await api.call('GET', '/v1/tenants', { key: operator, query: { limit: '2', cursor: first.body.next_cursor } });
    expect(rest.body).toMatchObject({ data: [{ id: 'tenant-b' }], next_cursor: null });

    expectErrorDocument(await api.call('POST', '/v1/tenants', { key: adminA, body: { id: 'x', name: 'x' } }), 403, 'forbidden');
    expectErrorDocument(await api.call('GET', '/v1/tenants', { key: adminA }), 403, 'forbidden');
    expectErrorDocument(await api.call('GET', '/v1/tenants', { key: sendA }), 403, 'forbidden');
    expect((await api.call('GET', '/v1/tenants/tenant-a', { key: adminA })).body).toMatchObject({ id: 'tenant-a' });
    expectErrorDocument(await api.call('GET', '/v1/tenants/acme', { key: adminA }), 404, 'not_found');
    expectErrorDocument(await api.call('PATCH', '/v1/tenants/tenant-a', { key: adminA, body: { name: 'mine' } }), 403, 'forbidden');
  });

  it('keeps an SMTP relay URL as a secret and never shows its password', async () => {
    const url = 'smtps://relay-user:s3cret-pa55@smtp.acme.test:465';
    const answer = await api.call('PATCH', '/v1/tenants/acme', { key: operator, body: { relay: { type: 'smtp', url } } });
    expect(answer.status).toBe(200);
    expect(answer.body.relay).toEqual({ type: 'smtp', url: 'smtps://relay-user:***@smtp.acme.test:465' });
    expect(answer.text).not.toContain('s3cret-pa55');
    expect((await api.call('GET', '/v1/tenants/acme', { key: operator })).text).not.toContain('s3cret-pa55');
    expect(await secrets.get('local:acme/smtp-relay')).toBe(url);
    expect(JSON.stringify(api.log.lines)).not.toContain('s3cret-pa55');

    const bad = await api.call('PATCH', '/v1/tenants/acme', {
      key: operator,
      body: { relay: { type: 'smtp', url: 'http://u:hidden-pw@x' } },
    });
    expectErrorDocument(bad, 400, 'invalid_request');
    expect(bad.body.error.details[0].field).toBe('relay.url');
    expect(bad.text).not.toContain('hidden-pw');

    // A dedicated pool needs SES; the pool must exist; then the deployment's relay (SES) with the pool.
    expectErrorDocument(
      await api.call('PATCH', '/v1/tenants/acme', { key: operator, body: { ip_pool: 'dedicated-1' } }),
      422,
      'ip_pool_needs_ses',
    );
    expectErrorDocument(
      await api.call('PATCH', '/v1/tenants/acme', { key: operator, body: { relay: null, ip_pool: 'nope' } }),
      422,
      'unknown_ip_pool',
    );
    const pooled = await api.call('PATCH', '/v1/tenants/acme', { key: operator, body: { relay: null, ip_pool: 'dedicated-1' } });
    expect(pooled.body).toMatchObject({ relay: null, ip_pool: 'dedicated-1' });
    // A set of the tenant's own must be one delivery may send through.
    const unknownSet = await api.call('PATCH', '/v1/tenants/acme', {
      key: operator,
      body: { relay: { type: 'ses', configuration_set: 'acme-set' }, ip_pool: 'shared' },
    });
    expectErrorDocument(unknownSet, 422, 'unknown_configuration_set');
    const ses = await api.call('PATCH', '/v1/tenants/acme', {
      key: operator,
      body: { relay: { type: 'ses', configuration_set: 'mailroom-pool-1' }, ip_pool: 'shared' },
    });
    expect(ses.body).toMatchObject({ relay: { type: 'ses', configuration_set: 'mailroom-pool-1' }, ip_pool: 'shared' });
    expectErrorDocument(await api.call('PATCH', '/v1/tenants/ghost', { key: operator, body: { name: 'x' } }), 404, 'not_found');
  });

  it('pauses and resumes a tenant (operator only)', async () => {
    const paused = await api.call('POST', '/v1/tenants/tenant-a/pause', { key: operator, body: { reason: 'spam complaints' } });
    expect(paused.body.sending).toMatchObject({ status: 'paused', reason: 'spam complaints', by: 'operator' });
    expectErrorDocument(await api.call('POST', '/v1/tenants/tenant-a/resume', { key: adminA }), 403, 'forbidden');
    const resumed = await api.call('POST', '/v1/tenants/tenant-a/resume', { key: operator });
    expect(resumed.body.sending).toEqual({ status: 'active' });
    expectErrorDocument(await api.call('POST', '/v1/tenants/nobody/resume', { key: operator }), 404, 'not_found');
  });
});

describe('API keys', () => {
  it('issues a key shown once, lists keys without secrets, and refuses a revoked key on the very next request', async () => {
    const issued = await api.call('POST', '/v1/tenants/tenant-a/keys', {
      key: adminA,
      body: { scopes: ['send', 'read'], description: 'web app' },
    });
    expect(issued.status).toBe(201);
    const { key, id } = issued.body;
    expect(key).toMatch(/^mr_/);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect((await api.call('POST', '/v1/messages', { key, body: sendBody() })).status).toBe(202);

    const listed = await api.call('GET', '/v1/tenants/tenant-a/keys', { key: adminA });
    const mine = listed.body.data.find((k: { id: string }) => k.id === id);
    expect(mine).toEqual({
      id,
      prefix: key.slice(0, 9),
      scopes: ['send', 'read'],
      description: 'web app',
      created_at: expect.any(String),
      revoked_at: null,
    });
    expect(listed.text).not.toContain(key);
    expect(listed.text).not.toMatch(/[0-9a-f]{64}/);

    expect((await api.call('DELETE', `/v1/tenants/tenant-a/keys/${id}`, { key: adminA })).status).toBe(204);
    expectErrorDocument(await api.call('POST', '/v1/messages', { key, body: sendBody() }), 401, 'unauthorized');
    const after = await api.call('GET', '/v1/tenants/tenant-a/keys', { key: adminA });
    expect(after.body.data.find((k: { id: string }) => k.id === id).revoked_at).toEqual(expect.any(String));
  });

  it("keeps a tenant's admin away from another tenant's keys, and lets the operator in", async () => {
    const other = await api.call('POST', '/v1/tenants/tenant-b/keys', { key: adminB, body: { scopes: ['send'] } });
    const otherId = other.body.id;
    expectErrorDocument(await api.call('GET', '/v1/tenants/tenant-b/keys', { key: adminA }), 404, 'not_found');
    expectErrorDocument(
      await api.call('POST', '/v1/tenants/tenant-b/keys', { key: adminA, body: { scopes: ['admin'] } }),
      404,
      'not_found',
    );
    expectErrorDocument(await api.call('DELETE', `/v1/tenants/tenant-b/keys/${otherId}`, { key: adminA }), 404, 'not_found');
    // Nor through its own path.
    expectErrorDocument(await api.call('DELETE', `/v1/tenants/tenant-a/keys/${otherId}`, { key: adminA }), 404, 'not_found');
    // An unknown tenant looks the same as another tenant.
    expectErrorDocument(await api.call('GET', '/v1/tenants/no-such/keys', { key: adminA }), 404, 'not_found');
    expectErrorDocument(await api.call('GET', '/v1/tenants/tenant-a/keys', { key: sendA }), 403, 'forbidden');

    const listed = await api.call('GET', '/v1/tenants/tenant-b/keys', { key: operator });
    expect(listed.body.data.map((k: { id: string }) => k.id)).toContain(otherId);
    expect((await api.call('DELETE', `/v1/tenants/tenant-b/keys/${otherId}`, { key: operator })).status).toBe(204);
    expectErrorDocument(await api.call('GET', '/v1/tenants/no-such/keys', { key: operator }), 404, 'not_found');
  });

  it('does not let a key revoke itself', async () => {
    const self = (await api.call('GET', '/v1/tenants/tenant-b/keys', { key: adminB })).body.data.find((k: { scopes: string[] }) =>
      k.scopes.includes('admin'),
    );
    expectErrorDocument(await api.call('DELETE', `/v1/tenants/tenant-b/keys/${self.id}`, { key: adminB }), 409, 'own_key');
    expect((await api.call('GET', '/v1/tenants/tenant-b', { key: adminB })).status).toBe(200);
  });
});

describe('SMTP credentials', () => {
  it('issues a credential that authenticates until it is revoked', async () => {
    const issued = await api.call('POST', '/v1/tenants/tenant-a/smtp-credentials', { key: adminA, body: { description: 'printer' } });
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      username: expect.stringMatching(/^mr_smtp_/),
      password: expect.any(String),
      smtp: { port: 587, secure_port: 465 },
    });
    const { username, password } = issued.body;
    const auth = new SmtpCredentialAuthenticator(new DynamoSmtpCredentialStore(api.dynamo, api.tables.smtpCredentials));
    expect(await auth.authenticate(username, password)).toEqual({ tenant: 'tenant-a', scopes: ['send'] });

    const listed = await api.call('GET', '/v1/tenants/tenant-a/smtp-credentials', { key: adminA });
    expect(listed.body.data).toEqual([{ username, description: 'printer', created_at: expect.any(String), revoked_at: null }]);
    expect(listed.text).not.toContain(password);

    expectErrorDocument(await api.call('DELETE', `/v1/tenants/tenant-b/smtp-credentials/${username}`, { key: adminB }), 404, 'not_found');
    expectErrorDocument(await api.call('GET', '/v1/tenants/tenant-a/smtp-credentials', { key: adminB }), 404, 'not_found');
    expect((await api.call('DELETE', `/v1/tenants/tenant-a/smtp-credentials/${username}`, { key: adminA })).status).toBe(204);
    expect(await auth.authenticate(username, password)).toBeUndefined();
  });
});
