/**
 * The web console in headless Chromium against local mode: sign in, each page doing what a
 * user would do there, an accessibility check (axe-core) of every page, the Content-Security-
 * Policy holding, and a screenshot of each page in SCREENSHOTS for reviewers.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { campaignMessageId } from '../../lib/domain/campaign.ts';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../../lib/local/console-build.ts';
import { startLocal, type LocalRuntime } from '../../lib/local/runtime.ts';
import { memoryLog } from '../support/fakes/index.ts';
import { uniquePrefix } from '../support/local-aws.ts';
import { call } from '../support/pipeline.ts';
import { CHROMIUM, chromiumArgs } from './browser.ts';

/** A browser's user agent: clicks from it are people's, not a scanner's. */
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** Where the screenshots go (git-ignored), one PNG per page. */
export const SCREENSHOTS = join(process.cwd(), '.tmp', 'console-screenshots');

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const dataDir = join(process.cwd(), '.tmp', `console-${process.pid}-${Date.now()}`);
let runtime: LocalRuntime;
let browser: Browser;
let page: Page;
/** Messages the browser logged about the CSP or failed scripts: none may appear. */
const violations: string[] = [];
/** Marks the images a sent html asks for: the preview must fetch none of them. */
const PROBE = 'preview-probe';
/** Refusals the browser logged for the probes, and requests of them that went out (none may). */
const refusedProbes: string[] = [];
const fetchedProbes: string[] = [];
/** Accessibility findings of serious or critical impact, per page. */
const accessibility: Record<string, string[]> = {};

beforeAll(async () => {
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  await ensureConsoleBuilt();
  runtime = await startLocal({
    dataDir,
    port: 0,
    relay: 'capture',
    prefix: uniquePrefix(),
    dynamoEndpoint: inject('dynamoEndpoint'),
    sqsEndpoint: inject('sqsEndpoint'),
    log: memoryLog(),
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (message) => {
    if (!/Content Security Policy|Refused to/i.test(message.text())) return;
    // The message preview's probes are meant to be refused: they are counted on their own.
    (message.text().includes(PROBE) ? refusedProbes : violations).push(message.text());
  });
  // Chromium may report a request the policy then blocks (it fails with `csp`, sending nothing):
  // a probe counts as fetched once it is answered, or fails for any other reason.
  page.on('requestfinished', (request) => {
    if (request.url().includes(PROBE)) fetchedProbes.push(request.url());
  });
  page.on('requestfailed', (request) => {
    if (request.url().includes(PROBE) && request.failure()?.errorText !== 'csp') fetchedProbes.push(request.url());
  });
  page.on('pageerror', (error) => violations.push(String(error)));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs axe on the page as it is, and keeps its serious and critical findings. */
async function checkAccessibility(name: string): Promise<void> {
  await page.evaluate(axeSource);
  // A string, evaluated in the page: the test's own types know no DOM.
  const found = await page.evaluate<string[]>(`axe.run(document).then((result) => result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
  accessibility[name] = found;
}

/** Opens a page of the console by its navigation label, waits for its heading, checks and photographs it. */
async function visit(label: string, heading = label): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

async function snapshot(name: string): Promise<void> {
  await checkAccessibility(name);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function signIn(key: string): Promise<void> {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the web console', () => {
  it('is served at /console/ with a strict CSP, and its JavaScript is small', async () => {
    const answer = await fetch(`${runtime.apiUrl}/console/`);
    expect(answer.status).toBe(200);
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/https?:/);
    const html = await answer.text();
    // Nothing inline, nothing from another origin.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect((await fetch(`${runtime.apiUrl}/console/assets/..%2f..%2fpackage.json`)).status).toBe(404);
    // Every script the page loads, gzipped, under 250 KB.
    const scripts = readdirSync(join(CONSOLE_DIST, 'assets')).filter((name) => name.endsWith('.js'));
    const gzipped = scripts.reduce((sum, name) => sum + gzipSync(readFileSync(join(CONSOLE_DIST, 'assets', name)), { level: 9 }).length, 0);
    console.log(`console: ${scripts.length} script(s), ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(250 * 1024);
    expect((await fetch(`${runtime.apiUrl}/console/../package.json`)).status).not.toBe(200);
  });

  it('refuses a wrong key, signs in with the right one and renders Overview with its charts', async () => {
    await page.goto(`${runtime.apiUrl}/console/`);
    await signIn('mr_' + 'x'.repeat(43));
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('refused');
    await snapshot('sign-in');
    await signIn(runtime.apiKey);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    // The key is in session storage, never in local storage or the URL.
    expect(await page.evaluate('sessionStorage.length')).toBe(1);
    expect(await page.evaluate('localStorage.length')).toBe(0);
    expect(page.url()).not.toContain(runtime.apiKey);
    // Time to first render of Overview, signed in (the key kept for the tab): load to charts drawn.
    const started = Date.now();
    await page.reload();
    await page.locator('.chart canvas').first().waitFor();
    const firstRender = Date.now() - started;
    console.log(`console: Overview rendered in ${firstRender} ms; screenshots in ${SCREENSHOTS}`);
    expect(firstRender).toBeLessThan(10_000);
    await expect.poll(() => page.getByText('The reputation breaker has not tripped').count()).toBe(1);
    await snapshot('overview');
  });

  it('shows a message sent through the API in Activity, reaching sent, and its timeline', async () => {
    await visit('Activity');
    const sent = await call(runtime, 'POST', '/v1/messages', {
      from: 'shop@example.com',
      to: 'ann@example.org',
      subject: 'Console order 1',
      text: 'Thanks for your order, plain words.',
      // A remote image, one of the console's own origin, and a script: the preview runs and fetches none.
      html:
        `<h1>Order 1 is on its way</h1><p>Thanks for your <a href="https://shop.example/orders/1">order</a>.</p>` +
        `<img src="https://images.example.test/${PROBE}-remote.png" alt="banner">` +
        `<img src="${runtime.apiUrl}/console/${PROBE}-self.png" alt="pixel">` +
        `<script>document.body.append('script ran')</script>`,
      headers: { 'X-Order-Ref': 'A-1' },
      tags: { kind: 'order' },
    });
    expect(sent.status).toBe(202);
    const row = page.locator(`tr[data-message="${sent.body.id}"]`);
    // The feed refreshes by itself while open: no reload here.
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 20_000 }).toBe('sent');
    // Filters: by tag and from today, it stays; by another status, nothing matches.
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByLabel('Tag').fill('kind=order');
    await filters.getByLabel('From').fill(new Date().toISOString().slice(0, 10));
    await filters.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await row.waitFor();
    await filters.getByLabel('Status').selectOption('bounced');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No messages match.').waitFor();
    await filters.getByRole('button', { name: 'Clear' }).click();
    await row.waitFor();
    await snapshot('activity');
    await row.getByRole('link', { name: 'Console order 1' }).click();
    await page.getByRole('heading', { level: 1, name: 'Console order 1' }).waitFor();
    const events = page.getByRole('list', { name: 'Events' }).locator('li');
    await expect.poll(() => events.evaluateAll((items) => items.map((i) => i.getAttribute('data-event')))).toEqual(['queued', 'sent']);
    expect(await page.getByText('kind').count()).toBeGreaterThan(0);
    // The html as sent, in a frame that is sandboxed: no scripts, no same origin, no forms.
    const frame = page.getByTitle('Message HTML');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const body = page.frameLocator('iframe[title="Message HTML"]').locator('body');
    await expect.poll(() => body.innerText()).toContain('Order 1 is on its way');
    // What is rendered (a script's own source is not): the text, and nothing a script added.
    expect(await body.innerText()).toContain('Thanks for your order.');
    expect(await body.innerText()).not.toContain('script ran');
    // Neither image was fetched: the remote one is refused by the console's policy, its own origin's by the preview's.
    await expect.poll(() => refusedProbes.length).toBeGreaterThanOrEqual(2);
    expect(refusedProbes.some((text) => text.includes(`${PROBE}-remote`))).toBe(true);
    expect(refusedProbes.some((text) => text.includes(`${PROBE}-self`))).toBe(true);
    expect(fetchedProbes).toEqual([]);
    // The custom header given at send.
    expect(await page.getByText('X-Order-Ref').count()).toBe(1);
    await snapshot('message');
    await page.getByRole('tab', { name: 'Text' }).click();
    await expect.poll(() => page.getByRole('tabpanel').textContent()).toBe('Thanks for your order, plain words.');
    expect(await page.getByRole('tab', { name: 'Text' }).getAttribute('aria-selected')).toBe('true');
    await checkAccessibility('message-text');
  });

  it('adds and removes a suppression', async () => {
    await visit('Suppressions');
    await page.getByLabel('Address to suppress').fill('gone@example.org');
    await page.getByLabel('Note').fill('asked by phone');
    await page.getByRole('button', { name: 'Add' }).click();
    const row = page.locator('tr[data-suppression="gone@example.org"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('asked by phone');
    expect((await call(runtime, 'GET', '/v1/suppressions/gone@example.org')).status).toBe(200);
    await snapshot('suppressions');
    await row.getByRole('button', { name: 'Remove gone@example.org' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await call(runtime, 'GET', '/v1/suppressions/gone@example.org')).status).toBe(404);
  });

  it('adds a domain and shows the DNS records to publish, each with copy buttons', async () => {
    await visit('Domains');
    await page.getByLabel('Domain to send from').fill('shop.example');
    await page.getByRole('button', { name: 'Add domain' }).click();
    const card = page.locator('[data-domain="shop.example"]');
    await card.waitFor();
    const rows = card.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect(await card.textContent()).toContain('_domainkey.shop.example');
    expect(await card.getByRole('button', { name: /^Copy .*record value$/ }).count()).toBe(await rows.count());
    expect(await card.getByRole('button', { name: 'Check again' }).count()).toBe(1);
    await snapshot('domains');
  });

  it('creates a template and shows the preview the API renders', async () => {
    await visit('Templates');
    await page.getByLabel('Name').fill('welcome');
    await page.getByLabel('Subject').fill('Hello {{name}}');
    await page.getByLabel('HTML').fill('<p>Welcome, {{name}}! <a href="https://shop.example/welcome">Visit the shop</a></p>');
    await page.getByRole('button', { name: 'Create template' }).click();
    await expect.poll(() => page.locator('[data-preview-subject]').textContent(), { timeout: 10_000 }).toBe('Hello Ann');
    // The preview follows the data as it is typed.
    await page.getByLabel('Preview data (JSON)').fill('{"name": "Bo"}');
    await expect.poll(() => page.locator('[data-preview-subject]').textContent(), { timeout: 10_000 }).toBe('Hello Bo');
    expect(await page.getByTitle('HTML preview').getAttribute('sandbox')).toBe('');
    await snapshot('templates');
  });

  it('imports a list from CSV and runs a small campaign to 100 %', async () => {
    await visit('Lists');
    await page.getByLabel('List name').fill('customers');
    await page.getByRole('button', { name: 'Create list' }).click();
    await page.getByRole('heading', { level: 2, name: 'customers' }).waitFor();
    await page.getByLabel(/^CSV \(/).fill('email,name\nann@example.org,Ann\nbo@example.org,Bo\ncy@example.org,Cy\n');
    await page.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 20_000 }).toContain('Import completed: 3 imported');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    await snapshot('lists');

    await visit('Campaigns');
    await page.getByLabel('Campaign name').fill('December news');
    await page.getByLabel('From').fill('news@example.com');
    await page.getByLabel('List').selectOption({ label: 'customers' });
    await page.getByLabel('Template').selectOption({ label: 'welcome' });
    await page.getByRole('button', { name: 'Send campaign' }).click();
    const card = page.locator('[data-campaign]').first();
    await card.waitFor();
    await expect.poll(() => card.locator('[data-progress]').getAttribute('data-progress'), { timeout: 30_000 }).toBe('100');
    await expect.poll(() => card.locator('dl').textContent(), { timeout: 10_000 }).toContain('Sent3');
    expect(await card.locator('[data-links]').textContent()).toContain('No clicks on tracked links yet.');

    // Ann follows the tracked link of her message twice, Bo once: the card counts every click and each clicker once.
    const campaignId = await card.getAttribute('data-campaign');
    const clickLink = (to: string) => {
      const id = campaignMessageId(campaignId!, to);
      const mail = runtime
        .capture!.messages()
        .find((m) => m.headers.some(([name, value]) => name.toLowerCase() === 'x-mailroom-id' && value === id));
      return /href="(http:\/\/127\.0\.0\.1:\d+\/t\/c\/[^"]+)"/.exec(mail?.html ?? '')?.[1];
    };
    for (const to of ['ann@example.org', 'ann@example.org', 'bo@example.org']) {
      const followed = await fetch(clickLink(to)!, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
      expect(followed.status).toBe(302);
      expect(followed.headers.get('location')).toMatch(/^https:\/\/shop\.example\/welcome\?mr_cv=/);
    }
    const row = card.locator('[data-links] tbody tr');
    await expect.poll(() => row.allTextContents(), { timeout: 20_000 }).toEqual(['https://shop.example/welcome32']);
    expect(await card.getByRole('table', { name: 'Clicks per link of December news' }).count()).toBe(1);
    await snapshot('campaigns');
  });

  it('lists webhooks and reports, and starts an export that ends with a download link', async () => {
    await visit('Webhooks');
    await snapshot('webhooks');
    await visit('Reports');
    await expect.poll(() => page.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Start export' }).click();
    await page.getByRole('link', { name: 'download the CSV' }).waitFor({ timeout: 30_000 });
    await snapshot('reports');
  });

  it('creates an API key, shows it once, and revokes it', async () => {
    await visit('API keys');
    await page.getByLabel('Description').first().fill('console test');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = await page.locator('[data-secret]').textContent();
    expect(secret).toMatch(/^mr_[A-Za-z0-9_-]{43}$/);
    const caller = await fetch(`${runtime.apiUrl}/v1/key`, { headers: { authorization: `Bearer ${secret}` } });
    expect(caller.status).toBe(200);
    const row = page.locator('tr', { hasText: 'console test' });
    await snapshot('keys');
    await row.getByRole('button', { name: /^Revoke/ }).click();
    await expect.poll(() => row.locator('td').nth(4).textContent()).toMatch(/^\d{4}-/);
    expect((await fetch(`${runtime.apiUrl}/v1/key`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
  });

  it('hides what a read-only key may not do, explains a 403, and signs out', async () => {
    const made = await call(runtime, 'POST', '/v1/tenants/dev/keys', { scopes: ['read'], description: 'read only' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await signIn(made.body.key);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link', { name: 'Domains' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    await visit('Suppressions');
    expect(await page.getByLabel('Address to suppress').count()).toBe(0);
    await page.goto(`${runtime.apiUrl}/console/#/domains`);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('This key may not do that');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
  });

  it('works on a phone-sized screen through its menu', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(runtime.apiKey);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    await snapshot('phone-activity');
  });

  it('had no serious or critical accessibility findings and no CSP violation on any page', () => {
    expect(Object.keys(accessibility).length).toBeGreaterThanOrEqual(12);
    expect(accessibility).toEqual(Object.fromEntries(Object.keys(accessibility).map((name) => [name, []])));
    expect(violations).toEqual([]);
  });
});
