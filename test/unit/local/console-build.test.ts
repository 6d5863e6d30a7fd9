/** When `npm start` rebuilds the console: its build missing, or older than a source file. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleBuildStale } from '../../../lib/local/console-build.ts';

const root = mkdtempSync(join(process.cwd(), '.tmp', 'console-src-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Sets a file's modification time, in seconds since the epoch. */
function touch(path: string, seconds: number): void {
  utimesSync(path, seconds, seconds);
}

describe('the console build', () => {
  it('is stale when missing, fresh when newer than every source, stale again when a source changes', () => {
    mkdirSync(join(root, 'src', 'pages'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'src', 'pages', 'overview.tsx'), 'export {}');
    touch(join(root, 'index.html'), 1_000);
    touch(join(root, 'src', 'pages', 'overview.tsx'), 1_000);
    expect(consoleBuildStale(root)).toBe(true);

    mkdirSync(join(root, 'dist', 'assets'), { recursive: true });
    writeFileSync(join(root, 'dist', 'index.html'), 'built');
    touch(join(root, 'dist', 'index.html'), 2_000);
    // A build under way beside it is not a source.
    mkdirSync(join(root, 'dist.123-456'));
    writeFileSync(join(root, 'dist.123-456', 'index.html'), 'half');
    expect(consoleBuildStale(root)).toBe(false);

    touch(join(root, 'src', 'pages', 'overview.tsx'), 3_000);
    expect(consoleBuildStale(root)).toBe(true);
  });
});
