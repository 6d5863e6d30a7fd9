/**
 * The README's "Benchmark" section, rendered from a results file (bench/results/latest.json):
 * the headline figures of single sends, batches and the campaign, and every target with how far
 * it is off. `npm run bench:readme` rewrites the section between the markers; `npm run bench`
 * does too when it writes the default results file. A unit test holds the README to what this
 * renders from the committed results, so the two cannot drift apart.
 *
 *   npm run bench:readme                  # from bench/results/latest.json
 *   npm run bench:readme -- --from other.json --readme /tmp/README.md
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { wasBusy, type BenchResults, type BulkRunResult, type TargetResult } from './report.ts';
import { billedRequestsPerMessage, evaluateTargets } from './targets.ts';

export const SECTION_START = '<!-- bench:start -->';
export const SECTION_END = '<!-- bench:end -->';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_RESULTS = join(ROOT, 'bench', 'results', 'latest.json');
export const DEFAULT_README = join(ROOT, 'README.md');

const fixed = (x: number | undefined, digits: number) => (x !== undefined && Number.isFinite(x) ? x.toFixed(digits) : 'not measured');
const usd = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? `$${x.toFixed(2)}` : 'not measured');
const status = (t: TargetResult) => (t.met === undefined ? 'not measured' : t.met ? 'met' : '**missed**');

/** One column of the headline table: what a run cost per delivered message. */
interface Column {
  head: string;
  perSecond?: number;
  requests?: number;
  writeUnits?: number;
  readUnits?: number;
  usdPerMillion?: number;
}

function columns(r: BenchResults): Column[] {
  const single: Column = {
    head: 'single sends',
    perSecond: r.pipeline.deliveredPerSecond,
    requests: billedRequestsPerMessage(r.aws.operations),
    writeUnits: r.cost.lines.find((line) => line.service === 'DynamoDB' && line.item === 'writes')?.perMessage,
    readUnits: r.cost.lines.find((line) => line.service === 'DynamoDB' && line.item === 'reads')?.perMessage,
    usdPerMillion: r.cost.total,
  };
  const bulk = (head: string, run: BulkRunResult | undefined): Column =>
    run
      ? {
          head,
          perSecond: run.deliveredPerSecond,
          requests: billedRequestsPerMessage(run.operations),
          writeUnits: run.writeUnitsPerMessage,
          readUnits: run.readUnitsPerMessage,
          usdPerMillion: run.cost.total,
        }
      : { head };
  return [single, bulk(`batches of ${r.options.batchSize ?? 100}`, r.batch), bulk('one campaign', r.campaign)];
}

/** The section, markers included, for the results `r`. */
export function renderBenchmarkSection(r: BenchResults): string {
  const o = r.options;
  const load = r.machine.loadAverageAtStart[0];
  const cols = columns(r);
  const row = (label: string, cell: (c: Column) => string) => `| ${label} | ${cols.map(cell).join(' | ')} |`;
  const lines = [
    SECTION_START,
    '<!-- Rendered from bench/results/latest.json by `npm run bench:readme`; edit bench/readme.ts, not this. -->',
    '',
    '## Benchmark',
    '',
    '`npm run bench` runs local mode end to end on one machine, relaying to an SMTP sink, beside a plain',
    'nodemailer pool to the same sink; it counts the AWS requests each message makes and prices them',
    `([how, and every figure](docs/benchmark.md)). The kept run (${r.generatedAt.slice(0, 10)}): ${o.messages} messages of`,
    `${o.sizeBytes} bytes, ${o.concurrency} clients, ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, load average ${load?.toFixed(2) ?? '?'} at the start;`,
    `the nodemailer baseline delivered ${fixed(r.baseline.deliveredPerSecond, 1)} messages a second.` +
      (wasBusy(r.machine) ? ' Other work shared the machine: throughput, latencies and load times are worse than on an idle one.' : ''),
    '',
    `| per delivered message | ${cols.map((c) => c.head).join(' | ')} |`,
    `|---|${cols.map(() => '---|').join('')}`,
    row('delivered per second', (c) => fixed(c.perSecond, 1)),
    row('AWS requests (DynamoDB, SQS)', (c) => fixed(c.requests, 2)),
    row('DynamoDB write / read units', (c) =>
      c.writeUnits === undefined ? 'not measured' : `${fixed(c.writeUnits, 2)} / ${fixed(c.readUnits, 2)}`,
    ),
    row('AWS cost per million', (c) => usd(c.usdPerMillion)),
    '',
    '| target | | this run |',
    '|---|---|---|',
  ];
  const targets = evaluateTargets(r);
  const isInit = (t: TargetResult) => r.bundles.some((bundle) => t.name === `${bundle.name} init (as deployed, with source maps)`);
  const shown = (t: TargetResult) => `${t.value}${t.shortfall ? `, ${t.shortfall}` : ''}`;
  const other = targets.filter((t) => !isInit(t));
  // The functions' load times share one row: met, missed (slowest first) and unmeasured.
  const inits = targets.filter(isInit);
  const fn = (t: TargetResult) => t.name.split(' ')[0]!;
  const initRow = () => {
    const missed = inits.filter((t) => t.met === false).sort((a, b) => parseFloat(b.value) - parseFloat(a.value));
    const met = inits.filter((t) => t.met === true);
    const unknown = inits.filter((t) => t.met === undefined);
    const parts = [
      ...(missed.length ? [`missed by ${missed.map((t) => `${fn(t)} ${t.value}`).join(', ')}`] : []),
      ...(met.length ? [`met by ${met.map((t) => `${fn(t)} ${t.value}`).join(', ')}`] : []),
      ...(unknown.length ? [`not measured: ${unknown.map(fn).join(', ')}`] : []),
    ];
    const mark = inits.length === 0 ? 'not measured' : missed.length ? '**missed**' : unknown.length ? 'not measured' : 'met';
    return `| every function loads in < 150 ms, as deployed | ${mark} | ${parts.join('; ') || 'not measured'} |`;
  };
  for (const t of other) lines.push(`| ${t.name} ${t.target} | ${status(t)} | ${shown(t)} |`);
  // The load times go after the costs, before the latencies.
  const latencyAt = lines.findIndex((line) => line.startsWith('| accept latency'));
  lines.splice(latencyAt >= 0 ? latencyAt : lines.length, 0, initRow());
  lines.push(SECTION_END);
  return lines.join('\n');
}

/** `readme` with its section replaced by `section`; throws when the markers are missing. */
export function replaceBenchmarkSection(readme: string, section: string): string {
  const start = readme.indexOf(SECTION_START);
  const end = readme.indexOf(SECTION_END);
  if (start < 0 || end < start) throw new Error(`the README has no ${SECTION_START} … ${SECTION_END} section`);
  return readme.slice(0, start) + section + readme.slice(end + SECTION_END.length);
}

/** The section as the README holds it now, markers included. */
export function currentBenchmarkSection(readme: string): string | undefined {
  const start = readme.indexOf(SECTION_START);
  const end = readme.indexOf(SECTION_END);
  return start < 0 || end < start ? undefined : readme.slice(start, end + SECTION_END.length);
}

/** Rewrites the README's section from a results file. */
export function updateReadme(resultsFile = DEFAULT_RESULTS, readmeFile = DEFAULT_README): void {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as BenchResults;
  const readme = readFileSync(readmeFile, 'utf8');
  writeFileSync(readmeFile, replaceBenchmarkSection(readme, renderBenchmarkSection(results)));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: { from: { type: 'string', default: DEFAULT_RESULTS }, readme: { type: 'string', default: DEFAULT_README } },
    strict: true,
  });
  updateReadme(resolve(values.from), resolve(values.readme));
  process.stdout.write(`README section rewritten from ${values.from}\n`);
}
