import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/domain/errors.ts';
import { parseExportRequest } from '../../../lib/domain/export-request.ts';
import { exportFileName, exportObjectKey, exportRange, parseExportTask } from '../../../lib/domain/export-job.ts';

function problems(body: unknown): string[] {
  try {
    parseExportRequest(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return ((error as ValidationError).details as { field: string }[]).map((p) => p.field);
  }
  return [];
}

describe('parseExportRequest', () => {
  it('accepts both types over one day up to 366 days', () => {
    expect(parseExportRequest({ type: 'sends', from: '2026-11-01', to: '2026-11-01' })).toEqual({
      type: 'sends',
      from: '2026-11-01',
      to: '2026-11-01',
    });
    expect(parseExportRequest({ type: 'errors', from: '2024-01-01', to: '2024-12-31' }).type).toBe('errors');
  });

  it.each([
    [{ type: 'sends', from: '2024-01-01', to: '2025-01-01' }, ['to']],
    [{ type: 'sends', from: '2026-11-02', to: '2026-11-01' }, ['to']],
    [{ type: 'csv', from: '2026-11-01', to: '2026-11-01' }, ['type']],
    [{ type: 'sends', from: '2026-13-01', to: '2026-11-31' }, ['from', 'to']],
    [{ type: 'sends', from: 20261101, to: '2026-11-01T00:00:00Z' }, ['from', 'to']],
    [{ type: 'sends', from: '2026-11-01', to: '2026-11-01', extra: 1, more: 2 }, ['extra, more']],
    [null, ['(body)']],
    ['sends', ['(body)']],
  ])('refuses %j naming %j', (body, fields) => {
    expect(problems(body)).toEqual(fields);
  });

  it('never throws anything but a ValidationError', () => {
    fc.assert(
      fc.property(fc.anything(), (body) => {
        try {
          parseExportRequest(body);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
    );
  });
});

describe('export jobs', () => {
  const job = { id: '01JEXPORT', type: 'sends', from: '2026-11-01', to: '2026-11-30' } as const;

  it('covers the first to the last millisecond of its days', () => {
    expect(exportRange(job)).toEqual({ start: '2026-11-01T00:00:00.000Z', end: '2026-11-30T23:59:59.999Z' });
  });

  it('names files and keys by type, range and run', () => {
    expect(exportFileName(job)).toBe('mailroom-sends-2026-11-01-to-2026-11-30.csv');
    expect(exportObjectKey(job, 2)).toBe('01JEXPORT/2/mailroom-sends-2026-11-01-to-2026-11-30.csv');
  });

  it('parses queue tasks and refuses anything else', () => {
    expect(parseExportTask('{"v":1,"exportId":"01J","tenant":"acme"}')).toEqual({ v: 1, exportId: '01J', tenant: 'acme' });
    for (const body of ['', 'null', '{"v":2,"exportId":"01J","tenant":"acme"}', '{"v":1,"exportId":"","tenant":"acme"}', '{']) {
      expect(parseExportTask(body)).toBeUndefined();
    }
  });
});
