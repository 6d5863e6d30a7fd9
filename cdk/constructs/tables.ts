/**
 * Every DynamoDB table in `TABLES`: on-demand, point-in-time recovery, encrypted with the
 * AWS managed key, TTL, indexes and streams as the topology defines them. Data is retained
 * when the stack is deleted.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  Billing,
  ProjectionType,
  StreamViewType,
  TableEncryptionV2,
  TableGrants,
  TableV2,
  type Attribute,
  type ITableV2,
} from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TABLES, TABLE_ENV, type IndexProjection, type KeyDef, type TableDef, type TableName } from '../../lib/topology.ts';

/** Read access, write access only, or both. */
export type TableAccess = 'read' | 'write' | 'readWrite';

/** Index queries only: items are read through the base table. */
const INDEX_ACTIONS = ['dynamodb:Query', 'dynamodb:Scan'];

const attribute = (key: KeyDef): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/** A topology projection as the CDK's index props take it (ALL when absent). */
const projection = (def: IndexProjection = { type: 'ALL' }): { projectionType: ProjectionType; nonKeyAttributes?: string[] } =>
  def.type === 'INCLUDE'
    ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: def.attributes }
    : { projectionType: ProjectionType[def.type] };

const tableEntries = Object.entries(TABLES) as [TableName, TableDef][];

/** All of mailroom's tables. */
export class Tables extends Construct {
  /** Each table by its topology name. */
  readonly tables: Readonly<Record<TableName, ITableV2>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const tables = {} as Record<TableName, ITableV2>;
    for (const [name, def] of tableEntries) {
      tables[name] = new TableV2(this, pascal(name), {
        partitionKey: attribute(def.partitionKey),
        sortKey: def.sortKey ? attribute(def.sortKey) : undefined,
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryptionV2.awsManagedKey(),
        timeToLiveAttribute: def.ttlAttribute,
        dynamoStream: def.stream ? StreamViewType[def.stream] : undefined,
        globalSecondaryIndexes: def.indexes?.map((index) => ({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey ? attribute(index.sortKey) : undefined,
          ...projection(index.projection),
        })),
        // Messages, events, suppressions and keys outlive a stack deletion; remove them by hand.
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    this.tables = tables;
  }

  /** The environment variables that carry every table's name (`TABLE_ENV`). */
  environment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name] of tableEntries) env[TABLE_ENV[name]] = this.tables[name].tableName;
    return env;
  }

  /**
   * Grants item access to one table and queries on each of its indexes by name. The CDK's own
   * table grants cover `index/*`; naming the indexes keeps the policy free of wildcards.
   */
  grant(name: TableName, access: TableAccess, grantee: IGrantable): void {
    const table = this.tables[name];
    // hasIndex = false: the base-table grant only; indexes are granted below by name.
    const grants = TableGrants.fromTable(table, undefined, false);
    if (access === 'read') grants.readData(grantee);
    else if (access === 'write') grants.writeData(grantee);
    else grants.readWriteData(grantee);

    const indexes: readonly { name: string }[] = (TABLES[name] as TableDef).indexes ?? [];
    if (indexes.length > 0 && access !== 'write') {
      Grant.addToPrincipal({
        grantee,
        actions: INDEX_ACTIONS,
        resourceArns: indexes.map((index) => `${table.tableArn}/index/${index.name}`),
      });
    }
  }
}

/** `apiKeys` → `ApiKeys`, for construct ids. */
function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
