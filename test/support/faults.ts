/**
 * Fault injection for the local runtime: an SMTP relay that can go down and come back on the
 * same port, or hold its answer to DATA; faults on the DynamoDB clients (throttling, internal
 * errors) answered the way DynamoDB answers them; a cut-off that stops a runtime's DynamoDB
 * and SQS calls at a chosen write; a local runtime in a child process that can be killed; a
 * client that sends through the API; and readers of what the store and the queue hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SMTPServer } from 'smtp-server';
import { scanPages } from '../../lib/adapters/dynamodb/scan-pages.ts';
import type { MessageStatus } from '../../lib/domain/message.ts';
import { queueDepth } from '../../lib/local/idle.ts';
import type { LocalAwsClient, LocalOptions } from '../../lib/local/runtime.ts';
import { waitFor } from './wait.ts';

/** A pause that is part of a fault (how long an outage or a throttle lasts), never a wait for a result. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ─── Sending through the API ────────────────────────────────────────────────────────────────

export interface ApiTarget {
  apiUrl: string;
  apiKey: string;
}

/**
 * Sends `count` messages (`make(i)` builds the i-th) through POST /v1/messages/batch, `batch`
 * per request and `parallel` requests at a time, and returns their ids in order. A request
 * that fails (a 500 when the API ran out of time on a busy machine, a 409 while that first
 * try still runs, a 503) is sent again with the same Idempotency-Key, as clients should.
 */
export async function sendMessages(
  target: ApiTarget,
  count: number,
  make: (i: number) => Record<string, unknown>,
  options: { batch?: number; parallel?: number } = {},
): Promise<string[]> {
  const size = options.batch ?? 25;
  const ids: string[] = new Array(count);
  const run = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const start = next;
      next += size;
      const messages = Array.from({ length: Math.min(size, count - start) }, (_, i) => make(start + i));
      for (let tries = 1; ; tries++) {
        const response = await fetch(`${target.apiUrl}/v1/messages/batch`, {
          method: 'POST',
          headers: { authorization: `Bearer ${target.apiKey}`, 'content-type': 'application/json', 'idempotency-key': `${run}-${start}` },
          body: JSON.stringify({ messages }),
        });
        const body = (await response.json()) as { results?: { status_code: number; id: string }[] };
        if (response.status === 202) {
          for (const [i, result] of (body.results ?? []).entries()) {
            if (result.status_code !== 202) throw new Error(`message ${start + i} refused: ${JSON.stringify(result)}`);
            ids[start + i] = result.id;
          }
          break;
        }
        if (![409, 429, 500, 503].includes(response.status) || tries >= 30)
          throw new Error(`batch at ${start}: ${response.status} ${JSON.stringify(body)}`);
        await sleep(1000);
      }
    }
  };
  await Promise.all(Array.from({ length: options.parallel ?? 1 }, worker));
  return ids;
}

// ─── SMTP relay ──────────────────────────────────────────────────────────────────────────────

export interface SmtpSink {
  url: string;
  port: number;
  /** The `X-Mailroom-Id` of every message the sink accepted (answered 250 to its DATA), in order. */
  accepted: string[];
  /** How many times each message was accepted. */
  counts(): Map<string, number>;
  /** Ids accepted more than once. */
  duplicates(): string[];
  /** RCPT TO commands seen per address (while up). */
  tries: Map<string, number>;
  /** `421` answers given to connections that were open when the sink went down. */
  readonly refusals: number;
  /**
   * Goes down: stops listening, so that new connections are refused (ECONNREFUSED), and answers
   * `421` to the next command on connections already open, which closes them. A DATA transfer
   * already under way is still answered: the relay never drops a message it took.
   */
  refuse(): void;
  /** Listens again, on the same port. */
  restore(): Promise<void>;
  /**
   * Once `afterAccepting` more messages were accepted, reads each message's DATA but does not
   * answer it: the relay has not taken the message, and the client waits.
   */
  hold(afterAccepting?: number): void;
  /** Ids of messages whose DATA is held unanswered on a connection still open. */
  held(): string[];
  /** Stops holding, and answers (accepts) the held transfers whose connection is still open. */
  accept(): void;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Pause before answering each DATA. */
  delayMs?: number;
  /** A reply for RCPT TO (undefined accepts); `tries` counts RCPT TO commands per address. */
  rcpt?: (address: string, tries: number) => { code: number; text: string } | undefined;
}

const ID_HEADER = /^X-Mailroom-Id:[ \t]*(\S+)/im;

/** Starts the sink on loopback. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const accepted: string[] = [];
  const tries = new Map<string, number>();
  const holding = new Map<string, { id: string; answer: () => void }>();
  const open = new Set<string>();
  let refusing = false;
  let holdFrom: number | undefined;
  let refusals = 0;
  const refusal = () => {
    refusals += 1;
    return Object.assign(new Error('Service shutting down, closing transmission channel'), { responseCode: 421 });
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    maxClients: 100,
    onConnect(session, callback) {
      open.add(session.id);
      callback();
    },
    onMailFrom(_address, _session, callback) {
      callback(refusing ? refusal() : undefined);
    },
    onRcptTo(address, _session, callback) {
      if (refusing) return callback(refusal());
      const count = (tries.get(address.address) ?? 0) + 1;
      tries.set(address.address, count);
      const reply = options.rcpt?.(address.address, count);
      callback(reply ? Object.assign(new Error(reply.text), { responseCode: reply.code }) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const id = ID_HEADER.exec(raw.slice(0, Math.max(0, raw.indexOf('\r\n\r\n'))))?.[1] ?? '(no id)';
        const answer = () => {
          // Only an answer that can reach the client means the relay took the message.
          if (!open.has(session.id)) return;
          accepted.push(id);
          callback(null, `Ok: queued as ${accepted.length}`);
        };
        const decide = () => {
          if (holdFrom !== undefined && accepted.length >= holdFrom) holding.set(session.id, { id, answer });
          else answer();
        };
        if (options.delayMs) setTimeout(decide, options.delayMs);
        else decide();
      });
    },
    onClose(session) {
      // A held transfer whose connection went away was never answered: the relay did not take it.
      open.delete(session.id);
      holding.delete(session.id);
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  const counts = () => {
    const map = new Map<string, number>();
    for (const id of accepted) map.set(id, (map.get(id) ?? 0) + 1);
    return map;
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    accepted,
    tries,
    counts,
    duplicates: () => [...counts()].filter(([, n]) => n > 1).map(([id]) => id),
    get refusals() {
      return refusals;
    },
    refuse() {
      refusing = true;
      server.server.close();
    },
    restore() {
      refusing = false;
      return new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        server.server.listen(port, '127.0.0.1', () => {
          server.server.off('error', reject);
          resolve();
        });
      });
    },
    hold(afterAccepting = 0) {
      holdFrom = accepted.length + afterAccepting;
    },
    held: () => [...holding.values()].map((h) => h.id),
    accept() {
      holdFrom = undefined;
      const waiting = [...holding.values()];
      holding.clear();
      for (const h of waiting) h.answer();
    },
    close() {
      refusing = true;
      holdFrom = undefined;
      holding.clear();
      const connections = (server as unknown as { connections: Set<{ close(): void }> }).connections;
      for (const connection of connections) connection.close();
      return new Promise<void>((resolve) => {
        if (!server.server.listening) return resolve();
        server.server.close(() => resolve());
      });
    },
  };
}

// ─── DynamoDB faults ─────────────────────────────────────────────────────────────────────────

/** One DynamoDB call as the faults see it: the command's name and its input. */
export interface DynamoCall {
  command: string;
  input: Record<string, unknown>;
}

/** How DynamoDB answers a faulty call: a throttle, or an internal error. */
/**
 * What DynamoDB answers instead: throttling, an internal error, or a refused condition (what a
 * conditional write on an item that does not exist yet gets).
 */
export type DynamoFault = 'throughput-exceeded' | 'internal-error' | 'conditional-check-failed';

export interface DynamoFaults {
  /** From now on, answers each call `rule` picks with its fault (none when `rule` is undefined). */
  set(rule: ((call: DynamoCall) => DynamoFault | undefined) | undefined): void;
  /** Faulty answers given so far, per command (each SDK attempt counts). */
  readonly injected: Map<string, number>;
  /** Total faulty answers. */
  total(): number;
  /** Pass as LocalOptions.instrumentClient: applies to the DynamoDB clients only. */
  instrument(client: LocalAwsClient): void;
}

const FAULTS: Record<DynamoFault, { status: number; reason: string; type: string; message: string }> = {
  'throughput-exceeded': {
    status: 400,
    reason: 'Bad Request',
    type: 'ProvisionedThroughputExceededException',
    message:
      'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  'internal-error': { status: 500, reason: 'Internal Server Error', type: 'InternalServerError', message: 'Internal server error' },
  'conditional-check-failed': {
    status: 400,
    reason: 'Bad Request',
    type: 'ConditionalCheckFailedException',
    message: 'The conditional request failed',
  },
};

/** DynamoDB's HTTP answer for `fault` (AWS JSON 1.0, as the service sends it). */
function faultResponse(fault: DynamoFault, requestId: string) {
  const { status, reason, type, message } = FAULTS[fault];
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });
  return {
    statusCode: status,
    reason,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-requestid': requestId,
      'content-length': String(Buffer.byteLength(body)),
    },
    body: Readable.from([Buffer.from(body)]),
  };
}

/**
 * Switchable faults for the DynamoDB clients of a runtime. The middleware sits below the SDK's
 * deserializer and inside its retry loop, in place of the HTTP call: the SDK itself turns the
 * answer into its exception (a ProvisionedThroughputExceededException with $fault `client`,
 * HTTP 400 and its own $metadata; an InternalServerError with HTTP 500) and retries it as the
 * throttle or transient error it is, before mailroom sees anything.
 */
export function dynamoFaults(): DynamoFaults {
  let rule: ((call: DynamoCall) => DynamoFault | undefined) | undefined;
  const injected = new Map<string, number>();
  let requests = 0;
  return {
    set(next) {
      rule = next;
    },
    injected,
    total: () => [...injected.values()].reduce((a, b) => a + b, 0),
    instrument(client) {
      if (!(client instanceof DynamoDBClient)) return;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const call = { command: String(context.commandName ?? ''), input: (args.input ?? {}) as Record<string, unknown> };
          const fault = rule?.(call);
          if (!fault) return next(args);
          injected.set(call.command, (injected.get(call.command) ?? 0) + 1);
          return { response: faultResponse(fault, `FAULT${String(++requests).padStart(8, '0')}`), output: undefined as never };
        },
        { step: 'deserialize', priority: 'low', name: 'injectedFault' },
      );
    },
  };
}

/** The table names a DynamoDB call touches (TransactWriteItems and batch calls included). */
export function tablesOf(call: DynamoCall): string[] {
  const { input } = call;
  if (typeof input.TableName === 'string') return [input.TableName];
  if (Array.isArray(input.TransactItems)) {
    return (input.TransactItems as Record<string, { TableName?: string }>[]).flatMap((item) =>
      Object.values(item).map((op) => op.TableName ?? ''),
    );
  }
  if (input.RequestItems && typeof input.RequestItems === 'object') return Object.keys(input.RequestItems);
  return [];
}

/**
 * What a fault rule picks out: an SDK command on a table, and where needed the item it
 * addresses and the attributes it names. Never the text of an expression, which may be
 * reworded without the operation changing.
 */
export interface DynamoCallPattern {
  /** The SDK command, e.g. `UpdateItemCommand`. */
  command: string;
  /** A table the call touches. */
  table: string;
  /** String values the call's Key must hold, by key attribute (`{ sk: '#' }`: a message item). */
  key?: Record<string, string>;
  /** Attributes the call must name in ExpressionAttributeNames: what an update reads or writes. */
  naming?: string[];
  /** Attributes the call must not name. */
  notNaming?: string[];
}

/** Whether `call` is an operation `pattern` describes. */
export function matchesCall(call: DynamoCall, pattern: DynamoCallPattern): boolean {
  if (call.command !== pattern.command || !tablesOf(call).includes(pattern.table)) return false;
  const key = (call.input.Key ?? {}) as Record<string, { S?: string }>;
  if (Object.entries(pattern.key ?? {}).some(([name, value]) => key[name]?.S !== value)) return false;
  const named = new Set(Object.values((call.input.ExpressionAttributeNames ?? {}) as Record<string, string>));
  return (pattern.naming ?? []).every((name) => named.has(name)) && !(pattern.notNaming ?? []).some((name) => named.has(name));
}

/** The message store's writes to a message item, told apart by the attributes they name (message-claim.ts, message-writes.ts). */
export function messageWrites(messagesTable: string) {
  const item = { command: 'UpdateItemCommand', table: messagesTable, key: { sk: '#' } };
  return {
    /**
     * The claim of a delivery attempt: it sets `attempts` and the `leaseUntil` lease (reading
     * `status`, so that a canceled message is never claimed) and, unlike the writes that end an
     * attempt, leaves `updatedAt` alone (as does the release of a claim that pacing gives back).
     */
    claim: { ...item, naming: ['attempts', 'leaseUntil'], notNaming: ['updatedAt'] },
    /** The write that ends an attempt: the status, `updatedAt` and the recipients, on condition that `attempts` is still the attempt's. */
    complete: { ...item, naming: ['status', 'attempts', 'updatedAt'] },
  } satisfies Record<string, DynamoCallPattern>;
}

// ─── A process that stops at a write ─────────────────────────────────────────────────────────

/** One AWS call as the cut-off sees it: the command's name and its input. */
export type AwsCall = DynamoCall;

/** The calls that change something, on DynamoDB and SQS. */
const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'SendMessageCommand',
  'SendMessageBatchCommand',
]);

/** Whether a DynamoDB or SQS call writes (puts, updates, deletes, sends). */
export function isWrite(call: AwsCall): boolean {
  return WRITE_COMMANDS.has(call.command);
}

export interface WriteCutoff {
  /**
   * From now on, counts the writes that `counted` picks; the `at`-th of them fails, and so does
   * every call after it, of any kind, as if the process had died right before that write.
   * Undefined: nothing fails (the writes are still counted).
   */
  arm(at: number | undefined): void;
  /** Counted writes since the last `arm`. */
  readonly writes: number;
  /** Pass as LocalOptions.instrumentClient: applies to the DynamoDB and SQS clients. */
  instrument(client: LocalAwsClient): void;
}

/**
 * Stops a runtime's AWS calls at a chosen write. The failure is thrown before the SDK's retry
 * loop, so the cut write is never sent, and nothing after it reaches DynamoDB or SQS: no
 * clean-up runs, as after a kill or a timeout.
 */
export function writeCutoff(counted: (call: AwsCall) => boolean): WriteCutoff {
  let at: number | undefined;
  let writes = 0;
  let dead = false;
  return {
    arm(next) {
      at = next;
      writes = 0;
      dead = false;
    },
    get writes() {
      return writes;
    },
    instrument(client) {
      if (!(client instanceof DynamoDBClient) && !(client instanceof SQSClient)) return;
      // Both stacks take the same initialize middleware; TypeScript cannot call a union of their `add`s.
      (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
        (next, context) => async (args) => {
          const call = { command: String(context.commandName ?? ''), input: (args.input ?? {}) as Record<string, unknown> };
          if (!dead && isWrite(call) && counted(call)) {
            writes += 1;
            if (at !== undefined && writes >= at) dead = true;
          }
          if (dead) throw Object.assign(new Error(`stopped before ${call.command} (cut-off)`), { name: 'ProcessStoppedError' });
          return next(args);
        },
        { step: 'initialize', name: 'writeCutoff' },
      );
    },
  };
}

// ─── A runtime in a child process ────────────────────────────────────────────────────────────

/** What the child prints once its runtime runs. */
export interface ChildRuntimeInfo {
  apiUrl: string;
  apiKey: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  messagesTable: string;
}

export interface ChildRuntime {
  info: ChildRuntimeInfo;
  process: ChildProcess;
  /** SIGKILL, as when the machine or the worker dies: nothing is stopped cleanly. Resolves on exit. */
  kill(): Promise<void>;
}

/** Options the child passes to startLocal (JSON: no functions, no log). */
export type ChildRuntimeOptions = Omit<LocalOptions, 'log' | 'instrumentClient'>;

/** Starts test/faults/runtime-process.ts with `options` and waits until its runtime runs. */
export async function spawnRuntime(options: ChildRuntimeOptions): Promise<ChildRuntime> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/faults/runtime-process.ts', JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const info = await new Promise<ChildRuntimeInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the runtime process did not start within 120 s: ${output}`)), 120_000);
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as ChildRuntimeInfo);
      }
    });
    void exited.then(() => reject(new Error(`the runtime process exited (${child.exitCode}): ${output}`)));
  });
  return {
    info,
    process: child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

// ─── What the store and the queue hold ───────────────────────────────────────────────────────

export interface MessageState {
  status: MessageStatus;
  attempts: number;
  leaseUntil?: number;
}

/** Every message of the messages table, by id (read straight from the table, past the API). */
export async function messageStates(client: DynamoDBClient, messagesTable: string): Promise<Map<string, MessageState>> {
  const states = new Map<string, MessageState>();
  const pages = scanPages(client, {
    TableName: messagesTable,
    ConsistentRead: true,
    FilterExpression: 'sk = :message',
    ExpressionAttributeValues: { ':message': { S: '#' } },
  });
  for await (const items of pages) {
    for (const item of items) {
      states.set(String(item.id ?? item.pk), {
        status: item.status as MessageStatus,
        attempts: Number(item.attempts ?? 0),
        ...(item.leaseUntil !== undefined && { leaseUntil: Number(item.leaseUntil) }),
      });
    }
  }
  return states;
}

/** Counts of a state map's statuses, e.g. `{ sent: 998, deferred: 2 }`. */
export function statusCounts(states: Map<string, MessageState>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of states.values()) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Waits until the queue holds nothing at all (no visible, in-flight or delayed message); fails with what it still holds. */
export function queueDrained(client: SQSClient, queueUrl: string, timeoutMs: number) {
  return waitFor(
    () => queueDepth(client, queueUrl),
    (depth) => Object.values(depth).every((count) => count === 0),
    { timeout: timeoutMs, message: `queue ${queueUrl} to drain` },
  );
}
