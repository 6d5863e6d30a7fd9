/**
 * The web console's static build (console/, built by Vite into console/dist, which git
 * ignores). `npm start` builds it when the output is missing or older than its sources, so
 * that `npm start` stays the one command; the build needs Vite, a development dependency.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The console's source folder. */
export const CONSOLE_ROOT = fileURLToPath(new URL('../../console/', import.meta.url));
/** Where its build goes: index.html and assets/. */
export const CONSOLE_DIST = join(CONSOLE_ROOT, 'dist');

/** The newest modification time of the files under `folder`, skipping `skip` and builds under way beside it. */
function newest(folder: string, skip: string): number {
  let latest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (path === skip || path.startsWith(`${skip}.`) || entry.name === 'node_modules') continue;
    latest = Math.max(latest, entry.isDirectory() ? newest(path, skip) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Whether the build is missing or older than a source file (sources, index.html, vite.config.ts). */
export function consoleBuildStale(root = CONSOLE_ROOT, dist = join(root, 'dist')): boolean {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return true;
  return newest(root, dist) > statSync(index).mtimeMs;
}

/**
 * Builds the console when its build is stale; answers whether it built. It builds into a
 * folder of its own and then puts that in place, so that a server (or a second build started
 * at the same time, as by two test files) never reads a half-written build.
 */
export async function ensureConsoleBuilt(root = CONSOLE_ROOT): Promise<boolean> {
  const dist = join(root, 'dist');
  if (!consoleBuildStale(root, dist)) return false;
  const { build } = await import('vite');
  const fresh = join(root, `dist.${process.pid}-${Date.now()}`);
  try {
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });
    const old = `${fresh}.old`;
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(fresh, dist);
    rmSync(old, { recursive: true, force: true });
  } catch (error) {
    // Another build put its folder in place first: that one serves.
    if (!existsSync(join(dist, 'index.html'))) throw error;
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
  return true;
}
