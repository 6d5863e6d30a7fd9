/** The api function serves the web console from its bundle (as in AWS), before any key is asked for. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../../lib/http/console-assets.ts';
import { apiHarness, expectErrorDocument, type ApiHarness } from './harness.ts';

const dist = mkdtempSync(join(process.cwd(), '.tmp', 'console-bundle-'));
let api: ApiHarness;
let plain: ApiHarness;

beforeAll(async () => {
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>mailroom console</title>');
  writeFileSync(join(dist, 'assets', 'index-1a2b.js'), 'export {}');
  [api, plain] = await Promise.all([apiHarness({ adjust: (deps) => ({ ...deps, consoleDist: dist }) }), apiHarness()]);
});
afterAll(async () => {
  await Promise.all([api?.close(), plain?.close()]);
  rmSync(dist, { recursive: true, force: true });
});

describe('the console through the api function', () => {
  it('answers GET /console/ and its assets without a key, with the CSP', async () => {
    const page = await api.call('GET', '/console/', { headers: {} });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    const script = await api.call('GET', '/console/assets/index-1a2b.js', { headers: {} });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect((await api.call('GET', '/console/assets/nothing.js', { headers: {} })).status).toBe(404);
  });

  it('leaves /v1 to the API, and /console to the router when no console is bundled', async () => {
    expectErrorDocument(await api.call('GET', '/v1/suppressions', { headers: {} }), 401, 'unauthorized');
    expectErrorDocument(await plain.call('GET', '/console/', { headers: {} }), 404, 'route_not_found');
  });
});
