/**
 * `npm run capacity`: where mailroom's design stops scaling. Reads the measured load of each
 * DynamoDB key pattern per message (bench/capacity/profile.json) and prints, for a traffic mix,
 * the busiest key of each pattern against DynamoDB's per-partition limits, the load of each
 * table, and the AWS quotas the mix reaches. Exits 1 when a key passes half of its partition's
 * limits.
 *
 *   npm run capacity -- --deployment-rate 20000 --tenant-rate 5000
 *   npm run capacity -- --measure        # measure the profile again (local mode, about a minute)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { capacity, DEFAULT_MIX, HEADROOM, PARTITION_LIMITS, type Capacity, type FunctionSeconds } from './model.ts';
import { measureProfile, type Profile } from './measure.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
export const PROFILE_FILE = join(HERE, 'profile.json');
const BENCH_RESULTS = resolve(HERE, '..', 'results', 'latest.json');

const USAGE = `npm run capacity -- [options]

  --deployment-rate <n>  messages a second across the deployment (default ${DEFAULT_MIX.deploymentRate})
  --tenant-rate <n>      messages a second from the busiest tenant (default ${DEFAULT_MIX.tenantRate})
  --batch-share <0..1>   share of mail sent in batches of 100 (default ${DEFAULT_MIX.batchShare})
  --recipients <n>       recipients per message (default ${DEFAULT_MIX.recipients})
  --campaign-share <0..1> share of mail sent by campaigns to lists (default ${DEFAULT_MIX.campaignShare})
  --tracking <o,c|on|off> opens and clicks per message; on: ${DEFAULT_MIX.opens},${DEFAULT_MIX.clicks} (the default), off: 0,0
  --webhooks <n>         webhook endpoints per tenant, each taking every event (default ${DEFAULT_MIX.webhooks})
  --tenants <n>          accepted, and changes nothing: a tenant's keys carry its own traffic only,
                         and the busiest tenant's rate is --tenant-rate
  --measure              measure the profile again and write ${PROFILE_FILE.replace(`${resolve(HERE, '..', '..')}/`, '')}
  --json                 print the result as JSON
`;

/** Seconds of one instance each function spends per message, from the benchmark's cost lines (GB-s at its memory). */
export function functionSeconds(results: { cost?: { lines?: { item: string; perMessage: number }[] } }): FunctionSeconds {
  const seconds: FunctionSeconds = {};
  for (const line of results.cost?.lines ?? []) {
    const match = /^(\w+) compute \((\d+) MB\)$/.exec(line.item);
    if (match) seconds[match[1]!] = line.perMessage / (Number(match[2]) / 1024);
  }
  return seconds;
}

/** `--tracking`: `on` (the default rates), `off`, or `<opens>,<clicks>` per message. */
export function tracking(raw: string | undefined): { opens: number; clicks: number } {
  if (raw === undefined || raw === 'on') return { opens: DEFAULT_MIX.opens, clicks: DEFAULT_MIX.clicks };
  if (raw === 'off') return { opens: 0, clicks: 0 };
  const [opens, clicks, ...rest] = raw.split(',').map((part) => (part.trim() === '' ? NaN : Number(part)));
  const fits = (value: number | undefined) => value !== undefined && Number.isFinite(value) && value >= 0 && value <= 100;
  if (rest.length > 0 || !fits(opens) || !fits(clicks))
    throw new Error('--tracking must be on, off, or <opens>,<clicks> a message (0 to 100 each)');
  return { opens: opens!, clicks: clicks! };
}

const n = (value: number) => Math.round(value).toLocaleString('en-US');

export function format(result: Capacity): string {
  const { mix } = result;
  const lines = [
    `Traffic: ${n(mix.deploymentRate)} messages/s across the deployment, ${n(mix.tenantRate)}/s from one tenant, ` +
      `${Math.round(mix.batchShare * 100)} % of API mail in batches of 100, ${mix.recipients} recipient(s) each; ` +
      `${Math.round(mix.campaignShare * 100)} % campaigns; ${mix.opens} opens and ${mix.clicks} clicks a message; ` +
      `${mix.webhooks} webhook endpoint(s) per tenant.`,
    `A key may take ${HEADROOM * 100} % of a partition's ${n(PARTITION_LIMITS.readUnits)} reads and ${n(PARTITION_LIMITS.writeUnits)} writes a second.`,
    '',
    'Busiest key of each pattern (units a second):',
    `  ${'table or index'.padEnd(24)} ${'key pattern'.padEnd(36)} ${'grows with'.padEnd(10)} ${'reads'.padStart(8)} ${'writes'.padStart(8)} ${'of limit'.padStart(9)}`,
  ];
  for (const k of result.keys) {
    const flag = k.over ? '  OVER' : '';
    lines.push(
      `  ${k.target.padEnd(24)} ${k.pattern.padEnd(36)} ${k.scope.padEnd(10)} ${n(k.readUnits).padStart(8)} ${n(k.writeUnits).padStart(8)} ${`${Math.round(k.share * 100)} %`.padStart(9)}${flag}`,
    );
  }
  lines.push('', 'Tables, across the deployment (request units a second; on-demand default 40,000 each, reads and writes):');
  for (const t of result.tables)
    lines.push(`  ${t.table.padEnd(24)} reads ${n(t.readUnits).padStart(8)}   writes ${n(t.writeUnits).padStart(8)}`);
  lines.push('', 'AWS quotas:');
  for (const q of result.quotas)
    lines.push(`  ${q.binds ? 'RAISE' : 'ok   '} ${q.name}: needs ${n(q.needed)} ${q.unit}, default ${n(q.defaultValue)} (${q.source})`);
  const over = result.keys.filter((k) => k.over);
  lines.push(
    '',
    over.length
      ? `${over.length} key pattern(s) pass half of their partition's limits: ${over.map((k) => `${k.target} ${k.pattern}`).join(', ')}.`
      : 'Every key stays within half of its partition’s limits.',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'deployment-rate': { type: 'string' },
      'tenant-rate': { type: 'string' },
      'batch-share': { type: 'string' },
      recipients: { type: 'string' },
      'campaign-share': { type: 'string' },
      tracking: { type: 'string' },
      webhooks: { type: 'string' },
      tenants: { type: 'string' },
      measure: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.measure) {
    const profile = await measureProfile({
      singles: 200,
      batches: 4,
      batchSize: 100,
      campaignContacts: 100,
      tracked: 50,
      webhookMessages: 100,
      webhookEndpoints: 2,
    });
    writeFileSync(PROFILE_FILE, `${JSON.stringify(profile, null, 2)}\n`);
    process.stderr.write(`wrote ${PROFILE_FILE}\n`);
  }
  const number = (name: string, fallback: number, min: number, max: number) => {
    const raw = values[name as keyof typeof values];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
    return value;
  };
  const mix = {
    deploymentRate: number('deployment-rate', DEFAULT_MIX.deploymentRate, 1, 10_000_000),
    tenantRate: number('tenant-rate', DEFAULT_MIX.tenantRate, 1, 10_000_000),
    batchShare: number('batch-share', DEFAULT_MIX.batchShare, 0, 1),
    recipients: number('recipients', DEFAULT_MIX.recipients, 1, 50),
    campaignShare: number('campaign-share', DEFAULT_MIX.campaignShare, 0, 1),
    ...tracking(values.tracking),
    webhooks: number('webhooks', DEFAULT_MIX.webhooks, 0, 100),
  };
  // Checked, though it changes nothing (see USAGE).
  number('tenants', 1, 1, 10_000_000);
  const profile = JSON.parse(readFileSync(PROFILE_FILE, 'utf8')) as Profile;
  let seconds: FunctionSeconds = {};
  try {
    seconds = functionSeconds(JSON.parse(readFileSync(BENCH_RESULTS, 'utf8')));
  } catch {
    process.stderr.write('no benchmark results (npm run bench): Lambda concurrency left out\n');
  }
  const result = capacity(profile, mix, seconds);
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${format(result)}\n`);
  if (!result.ok) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
  });
}
