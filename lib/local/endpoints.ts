/**
 * What local mode is running on, written to its data folder while it runs (`endpoints.json`,
 * mode 0600): the DynamoDB Local and SQS emulator endpoints, and the table and queue names as
 * the functions' variables name them. `npx mailroom … --local` reads it, so that the command
 * line reaches local mode with no AWS region, credentials or table names of its own. No secret
 * is kept in it: DynamoDB Local's key stays in dynamodb-credentials.json.
 */
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLocalHost } from './local-host.ts';

/** The file in the data folder. */
export const ENDPOINTS_FILE = 'endpoints.json';

export interface LocalEndpoints {
  /** The process running local mode: the file of a process that is gone is not used. */
  pid: number;
  startedAt: string;
  /** The HTTP API's base URL (routes under /v1). */
  api: string;
  dynamodb: { endpoint: string; region: string };
  sqs: { endpoint: string; region: string };
  /** The relay's kind, never its URL: `capture`, `smtp` or `ses`. */
  relay: 'capture' | 'smtp' | 'ses';
  /** Table names, queue URLs and other settings that are no secret, by the variable the functions read them from. */
  env: Record<string, string>;
}

/** The kind of a relay setting (`capture`, an SMTP URL, `ses`). */
export function relayKind(relay: string): LocalEndpoints['relay'] {
  return relay === 'ses' ? 'ses' : relay === 'capture' ? 'capture' : 'smtp';
}

/** Whether mail handed to `relay` stays on this machine: the mailbox, or an SMTP relay on loopback. */
export function relayStaysLocal(relay: string): boolean {
  if (relay === 'capture') return true;
  if (relay === 'ses') return false;
  try {
    return isLocalHost(new URL(relay).host);
  } catch {
    return false;
  }
}

/** Writes the file, readable by its owner only; replaced whole, so that a reader never sees half of it. */
export function writeLocalEndpoints(dataDir: string, endpoints: LocalEndpoints): void {
  const file = join(dataDir, ENDPOINTS_FILE);
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, file);
}

/** Removes the file when it is this process's. */
export function removeLocalEndpoints(dataDir: string, pid = process.pid): void {
  const file = join(dataDir, ENDPOINTS_FILE);
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalEndpoints>).pid === pid) rmSync(file, { force: true });
  } catch {
    // Gone already, or not ours to judge.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The endpoints of the local mode running on `dataDir`; undefined when there is no file or its process is gone. */
export function readLocalEndpoints(dataDir: string): LocalEndpoints | undefined {
  const file = join(dataDir, ENDPOINTS_FILE);
  if (!existsSync(file)) return undefined;
  const endpoints = JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints;
  if (typeof endpoints.pid !== 'number' || !endpoints.dynamodb?.endpoint || !endpoints.sqs?.endpoint || typeof endpoints.env !== 'object')
    throw new Error(`${file} is not what local mode writes; remove it`);
  return alive(endpoints.pid) ? endpoints : undefined;
}
