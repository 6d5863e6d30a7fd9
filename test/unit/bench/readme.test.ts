import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  currentBenchmarkSection,
  DEFAULT_README,
  DEFAULT_RESULTS,
  renderBenchmarkSection,
  replaceBenchmarkSection,
  SECTION_END,
  SECTION_START,
  updateReadme,
} from '../../../bench/readme.ts';
import { formatReport, type BenchResults, type BulkRunResult } from '../../../bench/report.ts';

/** What `npm run bench` last wrote, which the README's section must show. */
const committed = () => JSON.parse(readFileSync(DEFAULT_RESULTS, 'utf8')) as BenchResults;
/** Results of a run before the batch and campaign runs and the latencies one at a time existed (2026-11-28). */
const older = () =>
  JSON.parse(readFileSync(new URL('../../fixtures/bench/results-2026-11-28.json', import.meta.url), 'utf8')) as BenchResults;
const summary = (p50: number) => ({ count: 50, min: p50, mean: p50, p50, p90: p50, p99: p50 * 2, max: p50 * 2 });

/** The older results with the figures of this benchmark's later runs: latency one at a time, a batch run and a campaign run. */
function withBulkRuns(): BenchResults {
  const r = older();
  const bulk = (kind: BulkRunResult['kind'], usd: number): BulkRunResult => ({
    kind,
    sent: 2000,
    accepted: 2000,
    delivered: 2000,
    deliveredPerSecond: 80.25,
    operations: r.aws.operations.map((op) => ({ ...op, billedPerMessage: op.billedPerMessage / 2 })),
    readUnitsPerMessage: 1.5,
    writeUnitsPerMessage: 4.25,
    lambda: [],
    sns: { events: 4000, publishRequests: 400, publishRequestsPerMessage: 0.2 },
    apiRequestsPerMessage: 0.01,
    cost: { ...r.cost, total: usd },
    errors: [],
  });
  return {
    ...r,
    pipeline: { ...r.pipeline, isolated: { messages: 50, acceptLatencyMs: summary(12.25), acceptToRelayMs: summary(420) } },
    batch: bulk('batch', 1.25),
    campaign: bulk('campaign', 1.75),
  };
}

describe('the README’s benchmark section', () => {
  it('is what bench/readme.ts renders from the committed bench/results/latest.json (run npm run bench:readme)', () => {
    expect(currentBenchmarkSection(readFileSync(DEFAULT_README, 'utf8'))).toBe(renderBenchmarkSection(committed()));
  });

  it('states every target, with "not measured" where older results lack the figure', () => {
    const section = renderBenchmarkSection(older());
    for (const target of [
      '| delivered per second ≥ 72.0 |',
      '| delivered per second vs the nodemailer baseline ≥ 12.0 % |',
      '| AWS requests per single send ≤ 7.00 |',
      '| DynamoDB WRU per single send ≤ 5.00 |',
      '| AWS cost per million single sends < $5.00 |',
      '| AWS cost per million sends in batches of 100 < $1.50 |',
      '| every function loads in < 150 ms, as deployed |',
      '| accept latency p50, one message at a time < 15.0 ms | not measured | not measured |',
      '| 202 to relay p50, one message at a time < 300 ms | not measured | not measured |',
    ]) {
      expect(section).toContain(target);
    }
    expect(section).not.toMatch(/NaN|undefined/);
  });

  it('shows the batch and campaign runs and the latencies one at a time when the results have them', () => {
    const section = renderBenchmarkSection(withBulkRuns());
    expect(section).toContain('| per delivered message | single sends | batches of 100 | one campaign |');
    expect(section).toContain('| delivered per second | 35.7 | 80.3 | 80.3 |');
    expect(section).toContain('| DynamoDB write / read units | 7.24 / 4.04 | 4.25 / 1.50 | 4.25 / 1.50 |');
    expect(section).toContain('| AWS cost per million sends in batches of 100 < $1.50 | met | $1.25 |');
    expect(section).toContain('| AWS cost per million campaign sends < $1.50 | **missed** | $1.75, $0.25 over (17 %) |');
    expect(section).toContain('| accept latency p50, one message at a time < 15.0 ms | met | 12.3 ms |');
    expect(section).toContain('| 202 to relay p50, one message at a time < 300 ms | **missed** | 420 ms, 120 ms over (40 %) |');
    // The load times share one row, between the costs and the latencies.
    const rows = section.split('\n');
    const init = rows.findIndex((row) => row.startsWith('| every function loads'));
    expect(rows[init - 1]).toContain('campaign sends');
    expect(rows[init + 1]).toContain('accept latency');
    expect(rows[init]).toContain('missed by api 269 ms, deliver 243 ms');
  });

  it('says when other work shared the machine', () => {
    const busy = { ...older(), machine: { ...older().machine, loadAverageAtStart: [6.5, 5, 4] } };
    expect(renderBenchmarkSection(busy)).toContain('Other work shared the machine');
    expect(renderBenchmarkSection(older())).not.toContain('Other work shared the machine');
    expect(formatReport(busy)).toContain('! the machine was busy');
    // The load the run itself made is no sign of other work.
    const ownLoad = { ...older(), machine: { ...older().machine, loadAverageAtStart: [0.1, 0.5, 1], loadAverageAtEnd: [2.7, 2.8, 3.6] } };
    expect(renderBenchmarkSection(ownLoad)).not.toContain('Other work shared the machine');
  });

  it('replaces only what lies between the markers, and refuses a README without them', () => {
    const readme = `# x\n\nbefore\n${SECTION_START}\nold\n${SECTION_END}\n\nafter\n`;
    expect(replaceBenchmarkSection(readme, `${SECTION_START}\nnew\n${SECTION_END}`)).toBe(
      `# x\n\nbefore\n${SECTION_START}\nnew\n${SECTION_END}\n\nafter\n`,
    );
    expect(() => replaceBenchmarkSection('# x\n', 'new')).toThrow(/no <!-- bench:start -->/);
    expect(currentBenchmarkSection('# x\n')).toBeUndefined();
  });

  describe('npm run bench:readme', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-readme-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('rewrites a README’s section from a results file', () => {
      const results = join(dir, 'results.json');
      const readme = join(dir, 'README.md');
      writeFileSync(results, JSON.stringify(withBulkRuns()));
      writeFileSync(readme, `# mailroom\n\n${SECTION_START}\n${SECTION_END}\n\n## Deploying\n`);
      updateReadme(results, readme);
      expect(readFileSync(readme, 'utf8')).toBe(`# mailroom\n\n${renderBenchmarkSection(withBulkRuns())}\n\n## Deploying\n`);
    });
  });
});

describe('formatReport', () => {
  it('prints older results, and the batch and campaign runs beside single sends', () => {
    expect(formatReport(older())).toContain('Targets');
    const report = formatReport(withBulkRuns());
    expect(report).toMatch(/single sends +batches of 100 +one campaign/);
    expect(report).toMatch(/accept latency p50 \/ p99, one at a time \(ms\) +12\.3 \/ 24\.5/);
    expect(report).toMatch(/total USD \/ million +\$7\.32 +\$1\.25 +\$1\.75/);
  });
});
