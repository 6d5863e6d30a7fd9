/**
 * The delivery function's pacing to SES's send rate: the rate is asked on the first batch,
 * not while the container starts, and once per container. SES is a fake client here: its
 * account API (GetAccount) is a control-plane call that cannot run locally.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it, vi } from 'vitest';
import { ENV } from '../../../lib/env.ts';
import { lazyPacer, wireDeliver } from '../../../lib/wiring/deliver.ts';
import { MemoryPacer, memoryLog } from '../../support/fakes/index.ts';

const recordingPacer = (rate: number) => new MemoryPacer(rate);

function deliverEnv(): Record<string, string> {
  const env: Record<string, string> = {
    [ENV.relay]: 'ses',
    [ENV.sendQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/send',
    [ENV.deadLetterQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/000000000000/dlq',
  };
  for (const [key, name] of Object.entries(ENV)) if (key.endsWith('Table')) env[name] = `t-${key}`;
  return env;
}

describe('lazyPacer', () => {
  it('asks for the rate on the first acquire only, shared by concurrent callers, then paces with it', async () => {
    let asked = 0;
    const made: MemoryPacer[] = [];
    const pacer = lazyPacer(
      async () => (asked++, 14),
      (rate) => {
        const p = recordingPacer(rate);
        made.push(p);
        return p;
      },
    );
    expect(asked).toBe(0);
    expect(pacer.ratePerSecond).toBe(0);
    expect(await Promise.all([pacer.acquire('transactional', 2, 5000), pacer.acquire('bulk', 1, 5000)])).toEqual([true, true]);
    expect(await pacer.acquire('bulk', 3, 5000)).toBe(true);
    expect(asked).toBe(1);
    expect(made).toHaveLength(1);
    expect(pacer.ratePerSecond).toBe(14);
    expect(made[0]!.calls.map(([lane, cost]) => [lane, cost])).toEqual([
      ['transactional', 2],
      ['bulk', 1],
      ['bulk', 3],
    ]);
    // The wait allowed is what is left of the caller's after the rate was learnt.
    for (const [, , wait] of made[0]!.calls) expect(wait).toBeLessThanOrEqual(5000);
  });

  it('paces nothing, without asking again, when there is no rate', async () => {
    let asked = 0;
    const pacerFor = vi.fn(recordingPacer);
    const pacer = lazyPacer(async () => (asked++, undefined), pacerFor);
    expect(await pacer.acquire('transactional', 1, 0)).toBe(true);
    expect(await pacer.acquire('bulk', 1, 0)).toBe(true);
    expect(asked).toBe(1);
    expect(pacerFor).not.toHaveBeenCalled();
  });
});

describe('wireDeliver with the SES relay', () => {
  it('starts without asking SES, asks GetAccount on the first batch, and once per container', async () => {
    const send = vi.fn(async (command: unknown) => {
      expect(command).toBeInstanceOf(GetAccountCommand);
      return { SendQuota: { MaxSendRate: 0 } };
    });
    const ses = { send } as unknown as SESv2Client;
    const deps = await wireDeliver(deliverEnv(), { ses, dynamo: new DynamoDBClient({ region: 'us-east-1' }), log: memoryLog() });
    expect(send).not.toHaveBeenCalled();
    expect(deps.pacer).toBeDefined();
    // A quota of 0: not paced, every acquire passes at once.
    expect(await deps.pacer!.acquire('transactional', 5, 0)).toBe(true);
    expect(await deps.pacer!.acquire('bulk', 5, 0)).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('warns once and does not pace when SES cannot be asked', async () => {
    const log = memoryLog();
    const ses = { send: vi.fn(async () => Promise.reject(new Error('AccessDenied'))) } as unknown as SESv2Client;
    const deps = await wireDeliver(deliverEnv(), { ses, dynamo: new DynamoDBClient({ region: 'us-east-1' }), log });
    expect(await deps.pacer!.acquire('transactional', 1, 0)).toBe(true);
    expect(await deps.pacer!.acquire('transactional', 1, 0)).toBe(true);
    const warnings = log.lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/not paced/);
  });

  it('paces with the configured rate without asking SES', async () => {
    const send = vi.fn();
    const deps = await wireDeliver(
      { ...deliverEnv(), [ENV.relayMaxRate]: '7' },
      { ses: { send } as unknown as SESv2Client, dynamo: new DynamoDBClient({ region: 'us-east-1' }), log: memoryLog() },
    );
    expect(deps.pacer?.ratePerSecond).toBe(7);
    expect(send).not.toHaveBeenCalled();
  });
});
