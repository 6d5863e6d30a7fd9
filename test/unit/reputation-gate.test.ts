/** TenantSendingGate: paused tenants are refused with the reason; states are kept a few seconds. */
import { describe, expect, it } from 'vitest';
import { SendingPausedError } from '../../lib/domain/errors.ts';
import type { SendingState } from '../../lib/domain/tenant.ts';
import { isSendingPaused, TenantSendingGate } from '../../lib/use-cases/sending-gate.ts';
import { clockAt, MemoryTenantStore, memoryLog, tenant } from '../support/fakes/index.ts';

/** A tenant store holding one tenant per entry of `states`; the gate only reads it (`reads` counts, `failing` fails them). */
function tenantsWith(states: Record<string, SendingState>): MemoryTenantStore {
  return new MemoryTenantStore(...Object.entries(states).map(([id, sending]) => tenant(id, sending, '2026-11-01T00:00:00.000Z')));
}

const paused: SendingState = {
  status: 'paused',
  reason: 'bounce rate 6.2% over the last 24 h (threshold 5%)',
  pausedAt: '2026-11-28T15:00:00.000Z',
  by: 'breaker',
};

describe('TenantSendingGate', () => {
  it('refuses a paused tenant with 403 sending_paused naming the reason, and lets others through', async () => {
    const tenants = tenantsWith({ acme: paused, ok: { status: 'active' } });
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
    const tenants = tenantsWith({ acme: paused });
    const clock = clockAt('2026-11-28T15:00:00Z');
    const gate = new TenantSendingGate(tenants, { cacheMs: 10_000, clock });
    await Promise.all(Array.from({ length: 5 }, () => gate.check('acme').catch(() => undefined)));
    expect(tenants.reads).toBe(1);
    await tenants.setSending('acme', { status: 'active' }, '2026-11-28T15:00:01Z');
    clock.advance(9_999);
    await expect(gate.check('acme')).rejects.toThrow(SendingPausedError);
    clock.advance(2);
    await expect(gate.check('acme')).resolves.toBeUndefined();
    expect(tenants.reads).toBe(2);
  });

  it('keeps the last known state when the store fails, and lets an unknown tenant through', async () => {
    const tenants = tenantsWith({ acme: paused });
    const clock = clockAt(0);
    const log = memoryLog();
    const gate = new TenantSendingGate(tenants, { cacheMs: 1000, clock, log });
    await expect(gate.check('acme')).rejects.toThrow(SendingPausedError);
    tenants.failing = true;
    clock.advance(5000);
    await expect(gate.check('acme')).rejects.toThrow(SendingPausedError);
    await expect(gate.check('other')).resolves.toBeUndefined();
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.extra?.known)).toEqual(['paused', 'none']);
  });

  it('keeps at most maxEntries tenants', async () => {
    const tenants = tenantsWith({});
    const gate = new TenantSendingGate(tenants, { maxEntries: 2 });
    for (const id of ['a', 'b', 'c', 'a']) await gate.check(id);
    expect(tenants.reads).toBe(4);
  });
});
