import { describe, expect, it } from 'vitest';
import { apiKeyId, hashApiKey, generateApiKey, looksLikeApiKeyId } from '../../../lib/domain/api-key.ts';
import {
  checkRelayAndPool,
  checkSesRelay,
  parseIpPools,
  parseKeyInput,
  parseTenantInput,
  parseTenantPatch,
} from '../../../lib/domain/tenant-requests.ts';

const pools = { 'dedicated-1': 'pool-1-set' };

describe('tenant requests', () => {
  it('reads a tenant, naming each bad field', () => {
    expect(parseTenantInput({ id: 'acme_1', name: ' Acme ' })).toEqual({ id: 'acme_1', name: 'Acme' });
    expect(() => parseTenantInput({ id: 'a/b', name: 'x' })).toThrow(
      expect.objectContaining({ status: 400, details: [expect.objectContaining({ field: 'id' })] }),
    );
    expect(() => parseTenantInput({ id: 'x'.repeat(65), name: 'x' })).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('reads relay settings: SMTP URL, SES with or without a set, or null', () => {
    expect(parseTenantPatch({ relay: { type: 'smtp', url: 'smtp://h' } })).toEqual({ relay: { type: 'smtp', url: 'smtp://h' } });
    expect(parseTenantPatch({ relay: { type: 'ses', configuration_set: 'set-1' }, ip_pool: 'shared' })).toEqual({
      relay: { type: 'ses', configurationSet: 'set-1' },
      ipPool: 'shared',
    });
    expect(parseTenantPatch({ relay: null })).toEqual({ relay: null });
    expect(() => parseTenantPatch({ relay: { type: 'mx' } })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseTenantPatch({ sending: 'active' })).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('reads key scopes, once each', () => {
    expect(parseKeyInput({ scopes: ['send', 'send', 'read'] })).toEqual({ scopes: ['send', 'read'] });
    expect(() => parseKeyInput({ scopes: [] })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => parseKeyInput({ scopes: ['root'] })).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('ties a dedicated IP pool to SES', () => {
    expect(() => checkRelayAndPool(undefined, undefined, pools, false)).not.toThrow();
    expect(() => checkRelayAndPool(undefined, 'dedicated-1', pools, true)).not.toThrow();
    expect(() => checkRelayAndPool({ kind: 'ses' }, 'dedicated-1', pools, false)).not.toThrow();
    expect(() => checkRelayAndPool(undefined, 'dedicated-2', pools, true)).toThrow(expect.objectContaining({ code: 'unknown_ip_pool' }));
    expect(() => checkRelayAndPool(undefined, 'dedicated-1', pools, false)).toThrow(expect.objectContaining({ code: 'ip_pool_needs_ses' }));
    expect(() => checkRelayAndPool({ kind: 'smtp', secret: 's' }, 'dedicated-1', pools, true)).toThrow(
      expect.objectContaining({ code: 'ip_pool_needs_ses' }),
    );
    expect(() => checkRelayAndPool({ kind: 'ses', configurationSet: 'own' }, 'dedicated-1', pools, true)).toThrow(
      expect.objectContaining({ code: 'ip_pool_conflict' }),
    );
  });

  it('allows SES only in an SES deployment, through the configuration sets it sends with', () => {
    const sets = ['mailroom-events', 'pool-1-set'];
    expect(() => checkSesRelay(undefined, false, sets)).not.toThrow();
    expect(() => checkSesRelay({ kind: 'smtp', secret: 's' }, false, [])).not.toThrow();
    expect(() => checkSesRelay({ kind: 'ses' }, true, sets)).not.toThrow();
    expect(() => checkSesRelay({ kind: 'ses', configurationSet: 'pool-1-set' }, true, sets)).not.toThrow();
    expect(() => checkSesRelay({ kind: 'ses' }, false, sets)).toThrow(expect.objectContaining({ status: 422, code: 'ses_unavailable' }));
    expect(() => checkSesRelay({ kind: 'ses', configurationSet: 'elsewhere' }, true, sets)).toThrow(
      expect.objectContaining({ status: 422, code: 'unknown_configuration_set' }),
    );
  });

  it('reads MAILROOM_SES_IP_POOLS', () => {
    expect(parseIpPools(undefined)).toEqual({});
    expect(parseIpPools('{"dedicated-1":"pool-1-set"}')).toEqual(pools);
    expect(() => parseIpPools('[1]')).toThrow(/JSON object/);
    expect(() => parseIpPools('{"shared":"x"}')).toThrow(/shared/);
    expect(() => parseIpPools('{"p":3}')).toThrow(/configuration set/);
  });

  it('names a key by the first 12 hex characters of its hash', () => {
    const hash = hashApiKey(generateApiKey());
    expect(apiKeyId(hash)).toBe(hash.slice(0, 12));
    expect(looksLikeApiKeyId(apiKeyId(hash))).toBe(true);
    expect(looksLikeApiKeyId('mr_abcdef')).toBe(false);
  });
});
