/** The console's static files: the page, hashed assets, a strict CSP, and nothing else from the folder. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP, consoleAsset, isConsolePath } from '../../../lib/http/console-assets.ts';

const dist = mkdtempSync(join(process.cwd(), '.tmp', 'console-dist-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
writeFileSync(join(dist, 'secret.json'), '{"no": "never served"}');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('console assets', () => {
  it('serves the page at /console/ with the CSP, never cached, and sends /console there', async () => {
    const page = await consoleAsset(dist, '/console/');
    expect(page.status).toBe(200);
    expect(page.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': CONSOLE_CSP,
      'x-content-type-options': 'nosniff',
    });
    expect(page.body.toString()).toContain('<title>console</title>');
    expect(await consoleAsset(dist, '/console')).toMatchObject({ status: 301, headers: { location: '/console/' } });
  });

  it('serves hashed assets for a year, with their type', async () => {
    const script = await consoleAsset(dist, '/console/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
  });

  it.each([
    '/console/secret.json',
    '/console/assets/../secret.json',
    '/console/assets/..%2fsecret.json',
    '/console/assets/missing.js',
    '/console/assets/sub/dir.js',
    '/console/assets/.js',
  ])('answers 404 to %s', async (path) => {
    expect((await consoleAsset(dist, path)).status).toBe(404);
  });

  it('says the console is not built when its page is missing', async () => {
    const empty = mkdtempSync(join(process.cwd(), '.tmp', 'console-empty-'));
    try {
      const answer = await consoleAsset(empty, '/console/');
      expect(answer.status).toBe(503);
      expect(answer.body.toString()).toContain('npm start');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('keeps inline script and style and other origins out of the policy', () => {
    expect(CONSOLE_CSP).not.toContain('unsafe');
    expect(CONSOLE_CSP).not.toMatch(/https?:|\*/);
    expect(CONSOLE_CSP).toContain("default-src 'none'");
    expect(isConsolePath('/console')).toBe(true);
    expect(isConsolePath('/consoles')).toBe(false);
    expect(isConsolePath('/v1/console')).toBe(false);
  });
});
