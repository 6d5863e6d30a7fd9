import { describe, expect, it } from 'vitest';
import type { StoredTemplate } from '../../../lib/domain/stored-template.ts';
import { CompiledTemplates } from '../../../lib/use-cases/compiled-templates.ts';

const template = (version: number, extra: Partial<StoredTemplate> = {}): StoredTemplate => ({
  id: '01JD0000000000000000000001',
  tenant: 'acme',
  name: 'Receipt',
  subject: `v${version} {{name}}`,
  text: 'Hi {{name}}',
  version,
  createdAt: '2026-11-28T15:00:00.000Z',
  updatedAt: '2026-11-28T15:00:00.000Z',
  ...extra,
});

describe('CompiledTemplates', () => {
  it('compiles a version once, and each version, tenant and id on its own', () => {
    const cache = new CompiledTemplates();
    const first = cache.of(template(1));
    expect(cache.of(template(1))).toBe(first);
    expect(cache.of(template(2))).not.toBe(first);
    expect(cache.of(template(1, { tenant: 'globex' }))).not.toBe(first);
    expect(cache.of(template(2)).renderData({ name: 'Ann' }).subject).toBe('v2 Ann');
    expect(cache.count).toBe(3);
  });

  it('keeps the most recently used, at most its size', () => {
    const cache = new CompiledTemplates(2);
    const one = cache.of(template(1));
    cache.of(template(2));
    cache.of(template(1));
    cache.of(template(3));
    expect(cache.count).toBe(2);
    // Version 2 was the least recently used; version 1 stayed.
    expect(cache.of(template(1))).toBe(one);
  });

  it('keeps nothing of a template that does not compile', () => {
    const cache = new CompiledTemplates();
    expect(() => cache.of(template(1, { subject: '{{#if}}' }))).toThrow(expect.objectContaining({ code: 'template_error' }));
    expect(cache.count).toBe(0);
  });
});
