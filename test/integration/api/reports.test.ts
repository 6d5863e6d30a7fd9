import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReportStore } from '../../../lib/adapters/dynamodb/report-store.ts';
import { ALL_DIMENSION, COUNTERS } from '../../../lib/domain/report.ts';
import { MAX_REPORT_DAYS } from '../../../lib/use-cases/daily-report.ts';
import { apiHarness, expectErrorDocument, problemFields, type ApiHarness } from './harness.ts';

let api: ApiHarness;
let keyA: string;
let keyB: string;

const zeros = Object.fromEntries(COUNTERS.map((c) => [c, 0]));

beforeAll(async () => {
  api = await apiHarness();
  [keyA, keyB] = await Promise.all([api.newKey('tenant-a'), api.newKey('tenant-b')]);
  // Counters as the stream consumer would write them (today's date keeps the markers' TTL in range).
  const reports = new DynamoReportStore(api.dynamo, api.tables.reports);
  const increments: [string, (typeof COUNTERS)[number]][] = [
    ['2026-03-02', 'requested'],
    ['2026-03-02', 'requested'],
    ['2026-03-02', 'sent'],
    ['2026-03-04', 'bounced'],
  ];
  for (const [i, [day, counter]] of increments.entries()) {
    await reports.apply({ key: `seed-${i}`, tenant: 'tenant-a', day, dimensions: [ALL_DIMENSION], counters: [counter] });
  }
});
afterAll(() => api.close());

const report = (query: Record<string, string>, key = keyA) => api.call('GET', '/v1/reports/daily', { key, query });

describe('GET /v1/reports/daily', () => {
  it('answers every day of the range, zero-filled, with totals', async () => {
    const answer = await report({ from: '2026-03-01', to: '2026-03-04' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      from: '2026-03-01',
      to: '2026-03-04',
      days: [
        { day: '2026-03-01', ...zeros },
        { day: '2026-03-02', ...zeros, requested: 2, sent: 1 },
        { day: '2026-03-03', ...zeros },
        { day: '2026-03-04', ...zeros, bounced: 1 },
      ],
      totals: { ...zeros, requested: 2, sent: 1, bounced: 1 },
    });
  });

  it('shows another tenant only zeros for the same days', async () => {
    const answer = await report({ from: '2026-03-01', to: '2026-03-04' }, keyB);
    expect(answer.body.totals).toEqual(zeros);
    expect(answer.body.days.every((d: Record<string, unknown>) => COUNTERS.every((c) => d[c] === 0))).toBe(true);
  });

  it('answers one day for from = to, and the longest range allowed', async () => {
    expect((await report({ from: '2026-03-02', to: '2026-03-02' })).body.days).toEqual([
      { day: '2026-03-02', ...zeros, requested: 2, sent: 1 },
    ]);
    const longest = await report({ from: '2024-01-01', to: '2024-12-31' });
    expect(longest.status).toBe(200);
    expect(longest.body.days).toHaveLength(MAX_REPORT_DAYS);
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['no range', {}, ['from', 'to']],
    ['no to', { from: '2026-03-01' }, ['to']],
    ['a day that does not exist', { from: '2026-02-30', to: '2026-03-01' }, ['from']],
    ['a month that does not exist', { from: '2026-01-01', to: '2026-13-01' }, ['to']],
    ['another date format', { from: '03/01/2026', to: '2026-03-01' }, ['from']],
    ['a timestamp', { from: '2026-03-01T00:00:00Z', to: '2026-03-02' }, ['from']],
    ['to before from', { from: '2026-03-02', to: '2026-03-01' }, ['to']],
    [`more than ${MAX_REPORT_DAYS} days`, { from: '2024-01-01', to: '2025-01-01' }, ['to']],
  ])('answers 400 for %s', async (_, query, fields) => {
    const answer = await report(query);
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toEqual(fields);
  });

  it('refuses a range of thousands of years at once, without first listing its days', async () => {
    const started = performance.now();
    const answer = await report({ from: '0000-01-01', to: '9999-12-31' });
    expectErrorDocument(answer, 400, 'invalid_request');
    expect(problemFields(answer)).toEqual(['to']);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
