/**
 * Profiles local mode under load: starts the runtime against the bench's SMTP sink, warms up with
 * 100 messages, then sends `--messages` through the API (10 at a time) with the V8 profiler on,
 * writes the .cpuprofile and prints delivered/s and the CPU per message of this process and of
 * DynamoDB Local's JVM (which runs under a tethering shell, so `npm run bench` does not see it).
 *
 *   npx tsx bench/profile-local.ts --messages 1000 --out /tmp/local.cpuprofile [--no-profile]
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startLocal } from '../lib/local/runtime.ts';
import { silent } from './local-run.ts';
import { startSmtpSink } from './sink.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '10' },
    out: { type: 'string', default: '/tmp/local.cpuprofile' },
    'no-profile': { type: 'boolean', default: false },
  },
});
const count = Number(values.messages);
const concurrency = Number(values.concurrency);

/** CPU seconds of every descendant process (the JVM runs under a tethering shell). */
function descendantsCpu(): number {
  const ticks = 100;
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
      cpu.set(Number(name), (Number(fields[11]) + Number(fields[12])) / ticks);
    } catch {
      // gone
    }
  }
  let total = 0;
  for (const [pid, seconds] of cpu) {
    let p = parent.get(pid);
    while (p !== undefined && p > 1 && p !== process.pid) p = parent.get(p);
    if (p === process.pid) total += seconds;
  }
  return total;
}

const text = 'Hello there, this is a benchmark message body.\n'.repeat(21).slice(0, 1024);
const sink = await startSmtpSink();
const runtime = await startLocal({ port: 0, relay: sink.url, prefix: 'prof', log: silent });

async function send(from: number, n: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = from + next++;
      const response = await fetch(`${runtime.apiUrl}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'Bench <bench@mailroom.example>', to: `recipient-${i}@example.org`, subject: `Benchmark ${i}`, text }),
      });
      const answer = (await response.json()) as { id?: string };
      if (response.status !== 202 || !answer.id) throw new Error(`API answered ${response.status}`);
      ids.push(answer.id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

await sink.waitFor(await send(-100, 100), 60_000);
await runtime.idle();
sink.reset();

const session = new Session();
if (!values['no-profile']) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
const load = loadavg();
const cpu0 = process.cpuUsage();
const jvm0 = descendantsCpu();
const t0 = performance.now();
const ids = await send(0, count);
const accepted = performance.now();
await sink.waitFor(ids, 300_000);
const delivered = performance.now();
await runtime.idle();
const idle = performance.now();
const cpu = process.cpuUsage(cpu0);
const jvm = descendantsCpu() - jvm0;
if (!values['no-profile']) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(values.out, JSON.stringify(profile));
}
await runtime.stop();
await sink.stop();
const nodeMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  `load ${load.map((l) => l.toFixed(2)).join(' ')}; ${count} messages: accepted/s ${((count * 1000) / (accepted - t0)).toFixed(1)}, ` +
    `delivered/s ${((count * 1000) / (delivered - t0)).toFixed(1)}, idle after ${((idle - t0) / 1000).toFixed(1)} s; ` +
    `CPU ms/msg node ${(nodeMs / count).toFixed(2)}, jvm ${((jvm * 1000) / count).toFixed(2)}\n`,
);
process.exit(0);
