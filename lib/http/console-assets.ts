/**
 * The built console at `/console/`, for local mode's server and for the api function in AWS
 * (which carries the build in its bundle): index.html for the page (it routes by `#/…`), the
 * hashed files under `/console/assets/`. A strict Content-Security-Policy: scripts, styles and
 * requests from this origin only, no inline script or style, nothing framed from elsewhere.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

/** The console's policy: its own origin only; data: images for the template preview's inline images. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The prefix the console is served under. */
export const CONSOLE_PATH = '/console';

/** Whether a request path is the console's. */
export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

/** An answer for a console path. */
export interface ConsoleAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The answer for `path` (under /console), read from `dist`. */
export async function consoleAsset(dist: string, path: string): Promise<ConsoleAnswer> {
  if (path === CONSOLE_PATH) return { status: 301, headers: { location: `${CONSOLE_PATH}/` }, body: Buffer.alloc(0) };
  const rest = path.slice(CONSOLE_PATH.length + 1);
  // Only index.html and files directly under assets/ with a plain name: no traversal to read anything else.
  const file = rest === '' || rest === 'index.html' ? 'index.html' : /^assets\/[A-Za-z0-9_.-]+$/.test(rest) ? rest : undefined;
  const type = file && TYPES[extname(file)];
  const notFound = {
    status: 404,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
    body: Buffer.from('Not found'),
  };
  if (!file || !type || file.includes('..')) return notFound;
  try {
    const body = await readFile(join(dist, file));
    // Hashed asset names change with their content: cache them for good; the page itself never.
    const cache = file === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable';
    return { status: 200, headers: { 'content-type': type, 'cache-control': cache, ...SECURITY_HEADERS }, body };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (file !== 'index.html') return notFound;
    return {
      status: 503,
      headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
      body: Buffer.from('The console is not built: `npm start` builds it, or run `npm run build`.'),
    };
  }
}
