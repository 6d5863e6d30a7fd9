/** TenantSendingGate: paused tenants are refused with the reason; states are kept a few seconds. */
import { describe, expect, it } from 'vitest';
import { SendingPausedError } from '../../lib/domain/errors.ts';
import type { SendingState, Tenant } from '../../lib/domain/tenant.ts';
import type { TenantStore } from '../../lib/ports/tenant-store.ts';
import { isSendingPaused, TenantSendingGate } from '../../lib/use-cases/sending-gate.ts';
import type { Log } from '../../lib/ports/logger.ts';

/** Only `get` is used by the gate; reads are counted, and a read can be made to fail. */
function tenantsWith(states: Record<string, SendingState>) {
  const store = {
    reads: 0,
    failing: false,
    async get(id: string): Promise<Tenant | undefined> {
      store.reads++;
      if (store.failing) throw new Error('ProvisionedThroughputExceededException');
      const sending = states[id];
      return sending && { id, name: id, createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z', sending };
    },
  };
  return { store, tenants: store as unknown as TenantStore };
}

const paused: SendingState = {
  status: 'paused',
  reason: 'bounce rate 6.2% over the last 24 h (threshold 5%)',
  pausedAt: '2026-11-28T15:00:00.000Z',
  by: 'breaker',
};

function memoryLog(): Log & { lines: { level: string; extra?: Record<string, unknown> }[] } {
  const lines: { level: string; extra?: Record<string, unknown> }[] = [];
  const at = (level: string) => (_message: string, extra?: Record<string, unknown>) => void lines.push({ level, ...(extra && { extra }) });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function clockAt(start: number) {
  let now = start;
  return { clock: { now: () => new Date(now) }, advance: (ms: number) => void (now += ms) };
}

describe('TenantSendingGate', () => {
  it('refuses a paused tenant with 403 sending_paused naming the reason, and lets others through', async () => {
    const { tenants } = tenantsWith({ acme: paused, ok: { status: 'active' } });
    const gate = new TenantSendingGate(tenants);
    const error = await gate.check('acme').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendingPausedError);
    expect(error).toMatchObject({ status: 403, code: 'sending_paused', details: { reason: paused.reason, paused_at: paused.pausedAt } });
    expect((error as Error).message).toContain(paused.reason);
    await expect(gate.check('ok')).resolves.toBeUndefined();
    // A tenant without a record (keys made before tenants existed) is active.
    await expect(gate.check('unknown')).resolves.toBeUndefined();
    expect(await isSendingPaused(gate, 'acme')).toBe(true);
    expect(await isSendingPaused(gate, 'ok')).toBe(false);
    expect(await isSendingPaused(undefined, 'acme')).toBe(false);
  });

  it('reads a tenant once per cache period; a resume is seen once it is over', async () => {
    const states: Record<string, SendingState> = { acme: paused };
    const { store, tenants } = tenantsWith(states);
    const time = clockAt(Date.parse('2026-11-28T15:00:00Z'));
    const gate = new TenantSendingGate(tenants, { cacheMs: 10_000, clock: time.clock });
    await Promise.all(Array.from({ length: 5 }, () => gate.check('acme').catch(() => undefined)));
    expect(store.reads).toBe(1);
    states.acme = { status: 'active' };
    time.advance(9_999);
    await expect(gate.check('acme')).rejects.toThrow(SendingPausedError);
    time.advance(2);
    await expect(gate.check('acme')).resolves.toBeUndefined();
    expect(store.reads).toBe(2);
  });

  it('keeps the last known state when the store fails, and lets an unknown tenant through', async () => {
    const { store, tenants } = tenantsWith({ acme: paused });
    const time = clockAt(0);
    const log = memoryLog();
    const gate = new TenantSendingGate(tenants, { cacheMs: 1000, clock: time.clock, log });
    await expect(gate.check('acme')).rejects.toThrow(SendingPausedError);
    store.failing = true;
    time.advance(5000);
    await expect(gate.check('acme')).rejects.toThrow(SendingPausedError);
    await expect(gate.check('other')).resolves.toBeUndefined();
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.extra?.known)).toEqual(['paused', 'none']);
  });

  it('keeps at most maxEntries tenants', async () => {
    const { store, tenants } = tenantsWith({});
    const gate = new TenantSendingGate(tenants, { maxEntries: 2 });
    for (const id of ['a', 'b', 'c', 'a']) await gate.check(id);
    expect(store.reads).toBe(4);
  });
});
