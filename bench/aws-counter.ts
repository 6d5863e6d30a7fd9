/**
 * Counts the AWS requests mailroom makes, by service and operation, through a middleware on
 * every SDK client the local runtime creates. For SQS it counts billed requests (one per 64 KB
 * of payload). For DynamoDB it sums the request units each call consumed:
 *
 * - single-item writes and reads: the ConsumedCapacity DynamoDB Local reports (asked for with
 *   ReturnConsumedCapacity), which follows DynamoDB's rules, secondary indexes included;
 * - plus what DynamoDB Local leaves out: a key BatchGetItem did not find, an empty Query page;
 * - TransactWriteItems: computed, because DynamoDB Local sums the sizes of a transaction's
 *   items before rounding (three 100-byte items: 2 units instead of 6) and charges index
 *   updates twice. Each item costs 2 units per started KB (prepare and commit), at the size
 *   last seen of it (the counter remembers item sizes from every request and answer), and
 *   each global secondary index holding it 1 unit per started KB of its entry there (indexes
 *   are updated after the commit, as standard writes); an update reaches an index that
 *   projects some attributes only when it sets or removes one of them or of the index keys;
 * - failed writes (a condition, a transaction conflict): estimated the same way, assuming AWS
 *   charges them; no response says how much.
 */

/** Key and index attributes of a table, to tell items apart and whether an index holds them. */
export interface TableSchema {
  keys: string[];
  /** `projected`: the non-key attributes the index holds (none: KEYS_ONLY); absent: all (ALL). */
  indexes: { name: string; keys: string[]; projected?: string[] }[];
}

type AttributeValue = {
  S?: string;
  N?: string;
  B?: Uint8Array;
  BOOL?: boolean;
  NULL?: boolean;
  L?: AttributeValue[];
  M?: Record<string, AttributeValue>;
  SS?: string[];
  NS?: string[];
  BS?: Uint8Array[];
};
type Item = Record<string, AttributeValue>;

/** Bytes of a number as DynamoDB counts them: about one per two significant digits, plus one. */
export function numberSize(n: string): number {
  const digits = n.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Bytes of an attribute value by DynamoDB's item size rules. */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, v) => sum + Buffer.byteLength(v), 0);
  if (value.NS) return value.NS.reduce((sum, v) => sum + numberSize(v), 0);
  if (value.BS) return value.BS.reduce((sum, v) => sum + v.byteLength, 0);
  // Lists and maps: 3 bytes, and 1 byte per element.
  if (value.L) return 3 + value.L.reduce((sum, v) => sum + valueSize(v) + 1, 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((sum, [name, v]) => sum + Buffer.byteLength(name) + valueSize(v) + 1, 0);
  return 0;
}

/** Bytes of an item by DynamoDB's rules: attribute names and values. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

/** Write units of one write of an item of `bytes`: one per started KB. */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** What the counter keeps per service and operation. */
export interface OperationCount {
  service: string;
  operation: string;
  /** `client.send()` calls. */
  calls: number;
  /** HTTP requests, SDK retries included. */
  requests: number;
  /** Calls that ended in an error. */
  errors: number;
  /** ReceiveMessage calls answered without a message. */
  empty: number;
  /** SQS: 64 KB chunks of payload; other services: requests. */
  billedRequests: number;
  /** DynamoDB read request units (ConsumedCapacity, with the corrections below). */
  readUnits: number;
  /** DynamoDB write request units, secondary indexes included. */
  writeUnits: number;
  /** The part of `readUnits` + `writeUnits` that is estimated rather than reported. */
  estimatedUnits: number;
}

/** DynamoDB capacity per table (logical names when a prefix was given). */
export interface TableUnits {
  readUnits: number;
  writeUnits: number;
  /** Of `writeUnits`, the part spent on global secondary indexes. */
  indexWriteUnits: number;
}

export interface CounterSnapshot {
  operations: OperationCount[];
  tables: Record<string, TableUnits>;
  /** Write units DynamoDB Local reported for the transactions, which the counter computes itself instead. */
  transactionUnitsReportedByDynamoDbLocal: number;
}

/** The middleware context fields the counter reads. */
export interface CommandContext {
  clientName?: string;
  commandName?: string;
}

type Handler = (args: { input: object }) => Promise<{ output: object }>;

/** The part of an SDK v3 client the counter needs. */
export interface InstrumentableClient {
  middlewareStack: {
    add(
      middleware: (next: Handler, context: CommandContext) => Handler,
      options: { step: 'initialize'; name: string; override?: boolean },
    ): void;
  };
}

/** `DynamoDBClient` → `DynamoDB`, `SQSClient` → `SQS`. */
export function serviceOf(clientName: string | undefined): string {
  return (clientName ?? 'Unknown').replace(/Client$/, '');
}

/** `PutItemCommand` → `PutItem`. */
export function operationOf(commandName: string | undefined): string {
  return (commandName ?? 'Unknown').replace(/Command$/, '');
}

const DYNAMO_READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const DYNAMO_WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

/** Whether a DynamoDB operation reports ConsumedCapacity when asked. */
export function reportsCapacity(operation: string): boolean {
  return DYNAMO_READS.has(operation) || DYNAMO_WRITES.has(operation);
}

export function isDynamoRead(operation: string): boolean {
  return DYNAMO_READS.has(operation);
}

interface Consumed {
  TableName?: string;
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** Capacity per table from a DynamoDB output's ConsumedCapacity (one entry or a list). */
export function consumedByTable(output: {
  ConsumedCapacity?: Consumed | Consumed[];
}): { table: string; units: number; indexUnits: number }[] {
  const raw = output.ConsumedCapacity;
  const entries = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return entries.map((entry) => {
    const indexes = [...Object.values(entry.GlobalSecondaryIndexes ?? {}), ...Object.values(entry.LocalSecondaryIndexes ?? {})];
    const indexUnits = indexes.reduce((sum, index) => sum + (index.CapacityUnits ?? 0), 0);
    return { table: entry.TableName ?? 'unknown', units: entry.CapacityUnits ?? 0, indexUnits };
  });
}

interface ReadInput {
  TableName?: string;
  ConsistentRead?: boolean;
  RequestItems?: Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>;
}

interface ReadOutput {
  Item?: unknown;
  Items?: unknown[];
  Responses?: Record<string, unknown[]>;
  UnprocessedKeys?: Record<string, { Keys?: unknown[] }>;
}

/**
 * Read units DynamoDB charges that DynamoDB Local leaves out: a key BatchGetItem did not
 * find still costs a read (1 unit strongly consistent, 0.5 eventually consistent), and so
 * does a Query or Scan page that found nothing.
 */
export function unreportedReadUnits(operation: string, input: ReadInput, output: ReadOutput): { table: string; units: number }[] {
  const unit = (consistent: boolean | undefined) => (consistent ? 1 : 0.5);
  if (operation === 'BatchGetItem') {
    return Object.entries(input.RequestItems ?? {}).flatMap(([table, request]) => {
      const asked = request.Keys?.length ?? 0;
      const found = output.Responses?.[table]?.length ?? 0;
      const unprocessed = output.UnprocessedKeys?.[table]?.Keys?.length ?? 0;
      const missing = Math.max(0, asked - found - unprocessed);
      return missing ? [{ table, units: missing * unit(request.ConsistentRead) }] : [];
    });
  }
  if ((operation === 'Query' || operation === 'Scan') && (output.Items?.length ?? 0) === 0) {
    return [{ table: input.TableName ?? 'unknown', units: unit(input.ConsistentRead) }];
  }
  return [];
}

/** SQS bills each 64 KB chunk of a request's payload as one request. */
export const SQS_CHUNK_BYTES = 64 * 1024;

interface SqsMessage {
  Body?: string;
  MessageBody?: string;
  MessageAttributes?: Record<string, { DataType?: string; StringValue?: string; BinaryValue?: Uint8Array }>;
}

function sqsMessageBytes(message: SqsMessage): number {
  let bytes = Buffer.byteLength(message.MessageBody ?? message.Body ?? '');
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    bytes +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? '') +
      (value.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}

/** The payload SQS bills by: the messages sent or received (0 for other operations). */
export function sqsPayloadBytes(
  operation: string,
  input: { Entries?: SqsMessage[] } & SqsMessage,
  output: { Messages?: SqsMessage[] },
): number {
  if (operation === 'SendMessage') return sqsMessageBytes(input);
  if (operation === 'SendMessageBatch') return (input.Entries ?? []).reduce((sum, entry) => sum + sqsMessageBytes(entry), 0);
  if (operation === 'ReceiveMessage') return (output.Messages ?? []).reduce((sum, message) => sum + sqsMessageBytes(message), 0);
  return 0;
}

/** Requests SQS bills for a payload: one per started 64 KB, at least one. */
export function sqsBilledRequests(payloadBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / SQS_CHUNK_BYTES));
}

/** A count of `service`'s `operation` with nothing counted yet. */
export const emptyCount = (service: string, operation: string): OperationCount => ({
  service,
  operation,
  calls: 0,
  requests: 0,
  errors: 0,
  empty: 0,
  billedRequests: 0,
  readUnits: 0,
  writeUnits: 0,
  estimatedUnits: 0,
});

/** What one finished call tells the counter. */
export interface CallRecord {
  service: string;
  operation: string;
  input: object;
  output?: object;
  error?: unknown;
}

interface WriteAction {
  table: string;
  key?: Item;
  /** The whole new item (Put). */
  item?: Item;
  /** Values an update writes. */
  values?: Item;
  /** Attributes an update sets or removes (from its expression). */
  touched?: string[];
  remove?: boolean;
}

interface Units {
  table: string;
  units: number;
  indexUnits: number;
  /** The index entries the write reached, with their units. */
  indexes: { entry: IndexEntry; units: number }[];
}

/** Request units that fell on one partition key value of a table or an index. */
export interface PartitionLoad {
  /** `<table>` or `<table>/<index>`, the table by its logical name. */
  target: string;
  /** The partition key's value (`*` for a Scan). */
  key: string;
  readUnits: number;
  writeUnits: number;
  /** Requests that touched it (an item of a batch counts once). */
  requests: number;
  /**
   * The part of writeUnits that writes DynamoDB refused (a condition that failed, a transaction
   * cancelled): billed as writes, but how many there are follows timing (a job that reaches
   * delivery before its message is stored) more than the code.
   */
  refusedWriteUnits: number;
}

/** A key attribute's value as text (strings and numbers; anything else as JSON). */
function keyValue(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  return value.S ?? value.N ?? JSON.stringify(value);
}

interface DynamoInput {
  TableName?: string;
  IndexName?: string;
  KeyConditionExpression?: string;
  Key?: Item;
  Item?: Item;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
  TransactItems?: {
    Put?: { TableName?: string; Item?: Item };
    Update?: WriteActionInput;
    Delete?: WriteActionInput;
    ConditionCheck?: WriteActionInput;
  }[];
  RequestItems?: Record<string, { PutRequest?: { Item?: Item }; DeleteRequest?: { Key?: Item } }[] | { Keys?: Item[] }>;
}

interface WriteActionInput {
  TableName?: string;
  Key?: Item;
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Item;
}

interface DynamoOutput {
  Item?: Item;
  Items?: Item[];
  Attributes?: Item;
  Responses?: Record<string, Item[]>;
}

/** An item's entry in one index: `projected` absent for an index holding whole items. */
interface IndexEntry {
  /** The index's name, and the entry's partition key value there. */
  index: string;
  partition: string;
  size: number;
  projected?: string[];
  /** Keys and projected attributes: what an update must touch to change the entry. */
  attributes: Set<string>;
}

interface KnownItem {
  size: number;
  entries: IndexEntry[];
}

const UPDATE_KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE', 'if_not_exists', 'list_append']);

/** Top-level attributes an update expression sets or removes (`#name` placeholders resolved). */
export function touchedAttributes(input: { UpdateExpression?: string; ExpressionAttributeNames?: Record<string, string> }): string[] {
  const names = input.ExpressionAttributeNames ?? {};
  const paths = (input.UpdateExpression ?? '').match(/[#:]?[A-Za-z_][\w]*/g) ?? [];
  return paths.flatMap((token) => {
    if (token.startsWith(':') || UPDATE_KEYWORDS.has(token)) return [];
    return [token.startsWith('#') ? (names[token] ?? token) : token];
  });
}

/** Counts requests and DynamoDB capacity; `instrument` hooks it into an SDK client. */
export class AwsRequestCounter {
  #operations = new Map<string, OperationCount>();
  #tables = new Map<string, TableUnits>();
  #partitions = new Map<string, PartitionLoad>();
  /** Last known size of each item, and of its entry in each index that holds it, by table and key. */
  #items = new Map<string, KnownItem>();
  /** What DynamoDB Local itself reported for transactions (for comparison only). */
  #reportedTransactionUnits = 0;

  /**
   * @param tablePrefix stripped from table names (`bench-messages` → `messages`).
   * @param schemas key and index attributes by logical table name.
   */
  constructor(
    private readonly tablePrefix = '',
    private readonly schemas: Record<string, TableSchema> = {},
  ) {}

  /** Adds the counting middleware to a client; DynamoDB calls are asked for their capacity. */
  instrument(client: InstrumentableClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const service = serviceOf(context.clientName);
        const operation = operationOf(context.commandName);
        const input =
          service === 'DynamoDB' && reportsCapacity(operation) ? { ...args.input, ReturnConsumedCapacity: 'INDEXES' } : args.input;
        try {
          const result = await next({ ...args, input });
          this.record({ service, operation, input, output: result.output });
          return result;
        } catch (error) {
          this.record({ service, operation, input, error });
          throw error;
        }
      },
      { step: 'initialize', name: 'mailroomBenchRequestCounter', override: true },
    );
  }

  /** Counts one finished call. */
  record(call: CallRecord): void {
    const key = `${call.service}/${call.operation}`;
    const count = this.#operations.get(key) ?? emptyCount(call.service, call.operation);
    this.#operations.set(key, count);
    const metadata = ((call.output ?? call.error) as { $metadata?: { attempts?: number } } | undefined)?.$metadata;
    const requests = Math.max(1, metadata?.attempts ?? 1);
    count.calls += 1;
    count.requests += requests;
    if (call.error !== undefined) count.errors += 1;

    if (call.service === 'SQS') {
      const output = (call.output ?? {}) as { Messages?: SqsMessage[] };
      if (call.operation === 'ReceiveMessage' && call.error === undefined && (output.Messages?.length ?? 0) === 0) {
        count.empty += 1;
        return;
      }
      count.billedRequests += sqsBilledRequests(sqsPayloadBytes(call.operation, call.input, output)) * requests;
      return;
    }
    count.billedRequests += requests;
    if (call.service === 'DynamoDB')
      this.#recordDynamo(
        count,
        call.operation,
        call.input as DynamoInput,
        call.output as (DynamoOutput & { ConsumedCapacity?: Consumed | Consumed[] }) | undefined,
        call.error !== undefined,
      );
  }

  #recordDynamo(
    count: OperationCount,
    operation: string,
    input: DynamoInput,
    output: (DynamoOutput & { ConsumedCapacity?: Consumed | Consumed[] }) | undefined,
    failed: boolean,
  ): void {
    if (isDynamoRead(operation)) {
      if (failed || !output) return;
      const byTable = new Map<string, number>();
      for (const entry of consumedByTable(output)) {
        this.#add(count, entry.table, entry.units, 0, 0, 0);
        byTable.set(entry.table, (byTable.get(entry.table) ?? 0) + entry.units);
      }
      for (const extra of unreportedReadUnits(operation, input as ReadInput, output)) {
        this.#add(count, extra.table, extra.units, 0, 0, extra.units);
        byTable.set(extra.table, (byTable.get(extra.table) ?? 0) + extra.units);
      }
      this.#attributeRead(operation, input, byTable);
      this.#learnFromRead(operation, input, output);
      return;
    }
    if (!DYNAMO_WRITES.has(operation)) return;
    const actions = this.#writeActions(operation, input);
    this.#attributeWrites(actions, operation === 'TransactWriteItems' ? 2 : 1, failed);
    if (operation === 'TransactWriteItems' || failed) {
      if (operation === 'TransactWriteItems' && output)
        this.#reportedTransactionUnits += consumedByTable(output).reduce((sum, entry) => sum + entry.units, 0);
      const factor = operation === 'TransactWriteItems' ? 2 : 1;
      for (const estimate of actions.map((action) => this.#estimate(action, factor))) {
        this.#add(
          count,
          estimate.table,
          0,
          estimate.units + estimate.indexUnits,
          estimate.indexUnits,
          estimate.units + estimate.indexUnits,
        );
      }
    } else if (output) {
      for (const entry of consumedByTable(output)) this.#add(count, entry.table, 0, entry.units, entry.indexUnits, 0);
    }
    if (failed) return;
    for (const action of actions) this.#learnFromWrite(action);
    if (output?.Attributes && operation === 'UpdateItem' && input.TableName) this.#remember(input.TableName, output.Attributes);
  }

  /**
   * Puts a read's units on the partition key values it read: a GetItem's key, a Query's
   * partition (of the table or the index), a BatchGetItem's keys in equal shares.
   */
  #attributeRead(operation: string, input: DynamoInput, byTable: Map<string, number>): void {
    if (operation === 'BatchGetItem') {
      for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
        const keys = Array.isArray(request) ? [] : (request.Keys ?? []);
        const units = byTable.get(table) ?? 0;
        for (const key of keys) this.#addPartition(table, undefined, this.#partitionOf(table, undefined, key), units / keys.length, 0);
      }
      return;
    }
    const table = input.TableName ?? 'unknown';
    const units = byTable.get(table) ?? 0;
    if (operation === 'GetItem') this.#addPartition(table, undefined, this.#partitionOf(table, undefined, input.Key), units, 0);
    else if (operation === 'Query') this.#addPartition(table, input.IndexName, this.#queriedPartition(table, input), units, 0);
    else this.#addPartition(table, input.IndexName, '*', units, 0);
  }

  /** Puts each write's units on its item's partition, and its index entries' units on theirs. */
  #attributeWrites(actions: WriteAction[], factor: number, refused: boolean): void {
    for (const action of actions) {
      const estimate = this.#estimate(action, factor);
      const key = this.#partitionOf(action.table, undefined, action.item ?? action.key);
      this.#addPartition(action.table, undefined, key, 0, estimate.units, refused);
      for (const { entry, units } of estimate.indexes) this.#addPartition(action.table, entry.index, entry.partition, 0, units, refused);
    }
  }

  /** The partition key value of `item` in a table (or one of its indexes). */
  #partitionOf(table: string, index: string | undefined, item: Item | undefined): string {
    const schema = this.schemas[this.#logical(table)];
    const name = index ? schema?.indexes.find((i) => i.name === index)?.keys[0] : schema?.keys[0];
    return name && item ? keyValue(item[name]) : '?';
  }

  /** The partition a Query reads: the value its key condition gives the partition key. */
  #queriedPartition(table: string, input: DynamoInput): string {
    const schema = this.schemas[this.#logical(table)];
    const name = input.IndexName ? schema?.indexes.find((i) => i.name === input.IndexName)?.keys[0] : schema?.keys[0];
    if (!name) return '?';
    const names = input.ExpressionAttributeNames ?? {};
    for (const [, left, placeholder] of (input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
      const attribute = left!.startsWith('#') ? names[left!] : left;
      if (attribute === name) return keyValue(input.ExpressionAttributeValues?.[placeholder!]);
    }
    return '?';
  }

  #addPartition(table: string, index: string | undefined, key: string, readUnits: number, writeUnits: number, refused = false): void {
    const target = index ? `${this.#logical(table)}/${index}` : this.#logical(table);
    const id = `${target}\u0000${key}`;
    const load = this.#partitions.get(id) ?? { target, key, readUnits: 0, writeUnits: 0, requests: 0, refusedWriteUnits: 0 };
    load.readUnits += readUnits;
    load.writeUnits += writeUnits;
    if (refused) load.refusedWriteUnits += writeUnits;
    load.requests += 1;
    this.#partitions.set(id, load);
  }

  /** Units by partition key value since the last reset, busiest first. */
  partitions(): PartitionLoad[] {
    return [...this.#partitions.values()]
      .map((load) => ({ ...load }))
      .sort(
        (a, b) =>
          b.writeUnits + b.readUnits - (a.writeUnits + a.readUnits) || a.target.localeCompare(b.target) || a.key.localeCompare(b.key),
      );
  }

  /** The items a write touches. */
  #writeActions(operation: string, input: DynamoInput): WriteAction[] {
    const table = input.TableName ?? 'unknown';
    switch (operation) {
      case 'PutItem':
        return [{ table, ...(input.Item && { item: input.Item }) }];
      case 'UpdateItem':
        return [
          {
            table,
            ...(input.Key && { key: input.Key }),
            ...(input.ExpressionAttributeValues && { values: input.ExpressionAttributeValues }),
            touched: touchedAttributes(input),
          },
        ];
      case 'DeleteItem':
        return [{ table, ...(input.Key && { key: input.Key }), remove: true }];
      case 'BatchWriteItem':
        return Object.entries(input.RequestItems ?? {}).flatMap(([name, requests]) =>
          (Array.isArray(requests) ? requests : []).map((request): WriteAction =>
            request.PutRequest?.Item
              ? { table: name, item: request.PutRequest.Item }
              : { table: name, ...(request.DeleteRequest?.Key && { key: request.DeleteRequest.Key }), remove: true },
          ),
        );
      case 'TransactWriteItems':
        return (input.TransactItems ?? []).map((entry): WriteAction => {
          if (entry.Put) return { table: entry.Put.TableName ?? 'unknown', ...(entry.Put.Item && { item: entry.Put.Item }) };
          const action = entry.Update ?? entry.Delete ?? entry.ConditionCheck ?? {};
          return {
            table: action.TableName ?? 'unknown',
            ...(action.Key && { key: action.Key }),
            ...(entry.Update?.ExpressionAttributeValues && { values: entry.Update.ExpressionAttributeValues }),
            ...(entry.Update && { touched: touchedAttributes(entry.Update) }),
            ...(entry.Delete && { remove: true }),
          };
        });
      default:
        return [];
    }
  }

  /** Write units of one action, `factor` per started KB (2 in a transaction), and its index writes. */
  #estimate(action: WriteAction, factor: number): Units {
    const known = this.#known(action);
    const size = action.item ? itemSize(action.item) : (known?.size ?? itemSize({ ...action.key, ...action.values }));
    const entries = action.item ? this.#indexEntries(action.table, action.item) : (known?.entries ?? []);
    const reached = action.touched
      ? entries.filter((entry) => entry.projected === undefined || action.touched!.some((name) => entry.attributes.has(name)))
      : entries;
    // An ALL index's entry is the item: priced at the size used for the item itself.
    const indexes = reached.map((entry) => ({ entry, units: writeUnits(entry.projected === undefined ? size : entry.size) }));
    const indexUnits = indexes.reduce((sum, index) => sum + index.units, 0);
    return { table: action.table, units: factor * writeUnits(size), indexUnits, indexes };
  }

  #learnFromWrite(action: WriteAction): void {
    const id = this.#itemKey(action.table, action.item ?? action.key);
    if (!id) return;
    if (action.remove) this.#items.delete(id);
    else if (action.item) this.#remember(action.table, action.item);
    else if (!this.#items.has(id)) this.#items.set(id, { size: itemSize({ ...action.key, ...action.values }), entries: [] });
  }

  #learnFromRead(operation: string, input: DynamoInput, output: DynamoOutput): void {
    if (operation === 'GetItem' && output.Item && input.TableName) this.#remember(input.TableName, output.Item);
    if ((operation === 'Query' || operation === 'Scan') && input.TableName && !('IndexName' in input))
      for (const item of output.Items ?? []) this.#remember(input.TableName, item);
    if (operation === 'BatchGetItem')
      for (const [table, items] of Object.entries(output.Responses ?? {})) for (const item of items) this.#remember(table, item);
  }

  #remember(table: string, item: Item): void {
    const id = this.#itemKey(table, item);
    if (id) this.#items.set(id, { size: itemSize(item), entries: this.#indexEntries(table, item) });
  }

  #known(action: WriteAction): KnownItem | undefined {
    const id = this.#itemKey(action.table, action.item ?? action.key);
    return id ? this.#items.get(id) : undefined;
  }

  #itemKey(table: string, item: Item | undefined): string | undefined {
    const schema = this.schemas[this.#logical(table)];
    if (!schema || !item) return undefined;
    return `${this.#logical(table)}|${schema.keys.map((name) => JSON.stringify(item[name] ?? null)).join('|')}`;
  }

  /** The item's entry in each index that holds it: its size and the attributes an update must touch to change it. */
  #indexEntries(table: string, item: Item): IndexEntry[] {
    const schema = this.schemas[this.#logical(table)];
    if (!schema) return [];
    return schema.indexes
      .filter((index) => index.keys.every((name) => item[name] !== undefined))
      .map((index) => {
        const where = { index: index.name, partition: keyValue(item[index.keys[0]!]) };
        if (index.projected === undefined) return { ...where, size: itemSize(item), attributes: new Set<string>() };
        const attributes = new Set([...schema.keys, ...index.keys, ...index.projected]);
        const entry = Object.fromEntries(Object.entries(item).filter(([name]) => attributes.has(name)));
        return { ...where, size: itemSize(entry), projected: index.projected, attributes };
      });
  }

  /** The counts so far, busiest operation first. */
  snapshot(): CounterSnapshot {
    const operations = [...this.#operations.values()]
      .map((c) => ({ ...c }))
      .sort((a, b) => b.requests - a.requests || a.operation.localeCompare(b.operation));
    const tables = Object.fromEntries(
      [...this.#tables.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, units]) => [name, { ...units }]),
    );
    return { operations, tables, transactionUnitsReportedByDynamoDbLocal: this.#reportedTransactionUnits };
  }

  /** Forgets the counts (not the item sizes it has learnt). */
  reset(): void {
    this.#operations.clear();
    this.#tables.clear();
    this.#partitions.clear();
    this.#reportedTransactionUnits = 0;
  }

  #logical(table: string): string {
    return this.tablePrefix && table.startsWith(this.tablePrefix) ? table.slice(this.tablePrefix.length) : table;
  }

  #add(count: OperationCount, table: string, readUnits: number, writeUnits: number, indexWriteUnits: number, estimated: number): void {
    count.readUnits += readUnits;
    count.writeUnits += writeUnits;
    count.estimatedUnits += estimated;
    const name = this.#logical(table);
    const units = this.#tables.get(name) ?? { readUnits: 0, writeUnits: 0, indexWriteUnits: 0 };
    units.readUnits += readUnits;
    units.writeUnits += writeUnits;
    units.indexWriteUnits += indexWriteUnits;
    this.#tables.set(name, units);
  }
}
