/** Reporting tables fed by the events stream: by day, by tag and by sending domain, with rates. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '../../../lib/local/runtime.ts';
import { call, startPipeline, waitForMessage } from '../../support/pipeline.ts';
import { startRemoteSmtp, type RemoteSmtp } from '../../support/remote-smtp.ts';
import { waitFor } from '../../support/wait.ts';

let remote: RemoteSmtp;
let runtime: LocalRuntime;
const day = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  remote = await startRemoteSmtp((address) => (address.startsWith('gone') ? { code: 550, text: '5.1.1 user unknown' } : undefined));
  runtime = await startPipeline({ relay: remote.url });
  const sends = [
    { from: 'a@shop.test', to: ['x1@remote.test', 'x2@remote.test'], tags: { kind: 'receipt' } },
    { from: 'b@shop.test', to: 'gone@remote.test', tags: { kind: 'receipt' } },
    { from: 'c@news.test', to: 'x3@remote.test', tags: { kind: 'digest' } },
  ];
  for (const send of sends) {
    const sent = await call(runtime, 'POST', '/v1/messages', { ...send, subject: 'Hello', text: 'x' });
    expect(sent.status).toBe(202);
    await waitForMessage(runtime, sent.body.id, (m) => m.status !== 'queued');
  }
  // The stream consumer runs behind delivery: wait until the totals are complete.
  await waitFor(
    async () => (await call(runtime, 'GET', `/v1/reports?from=${day}&to=${day}`)).body.totals,
    (totals) => totals.sent + totals.bounced === 4,
    { interval: 100, message: 'the report totals of the four recipients' },
  );
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  await remote?.close();
});

describe('GET /v1/reports', () => {
  it('reports the days with counters and rates', async () => {
    const { status, body } = await call(runtime, 'GET', `/v1/reports?from=${day}&to=${day}&group_by=day`);
    expect(status).toBe(200);
    expect(body.rows).toHaveLength(1);
    expect(body.totals).toMatchObject({ requested: 4, sent: 3, bounced: 1, bounced_hard: 1, bounced_soft: 0 });
    expect(body.totals.rates).toEqual({ delivery_rate: 0, bounce_rate: 0.3333, complaint_rate: 0, open_rate: 0, click_rate: 0 });
  });

  it('groups by tag and by sending domain over the range', async () => {
    const byTag = await call(runtime, 'GET', `/v1/reports?from=${day}&to=${day}&group_by=tag`);
    const tags = Object.fromEntries(
      byTag.body.rows.map((r: { tag: string; sent: number; bounced: number }) => [r.tag, [r.sent, r.bounced]]),
    );
    expect(tags).toEqual({ 'kind=receipt': [2, 1], 'kind=digest': [1, 0] });
    const byDomain = await call(runtime, 'GET', `/v1/reports?from=${day}&to=${day}&group_by=domain`);
    const domains = Object.fromEntries(byDomain.body.rows.map((r: { domain: string; requested: number }) => [r.domain, r.requested]));
    expect(domains).toEqual({ 'shop.test': 3, 'news.test': 1 });
  });

  it('gives the day series of one tag, and refuses bad queries naming the parameter', async () => {
    const series = await call(runtime, 'GET', `/v1/reports?from=${day}&to=${day}&tag=kind%3Ddigest`);
    expect(series.body).toMatchObject({ dimension: 'tag:kind=digest', totals: { requested: 1, sent: 1 } });
    const bad = await call(runtime, 'GET', `/v1/reports?from=${day}&to=2001-01-01&group_by=week&color=red`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['color', 'group_by']);
  });
});

describe('GET /v1/reports limits', () => {
  it('refuses a range of thousands of years at once', async () => {
    const answer = await call(runtime, 'GET', '/v1/reports?from=0000-01-01&to=9999-12-31');
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([{ field: 'to', message: 'at most 366 days per request' }]);
  });
});
