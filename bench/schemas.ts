/** Key and index attributes of mailroom's tables, from the topology, for the request counter. */
import { TABLES, type IndexDef, type TableDef } from '../lib/topology.ts';
import type { TableSchema } from './aws-counter.ts';

/** The non-key attributes an index holds, for the request counter: none for KEYS_ONLY, absent for ALL. */
function projected(index: IndexDef): { projected?: string[] } {
  if (index.projection?.type === 'KEYS_ONLY') return { projected: [] };
  if (index.projection?.type === 'INCLUDE') return { projected: index.projection.attributes };
  return {};
}

/** Key and index attributes of mailroom's tables, by logical name. */
export function tableSchemas(): Record<string, TableSchema> {
  const keys = (def: Pick<TableDef, 'partitionKey' | 'sortKey'>) => [def.partitionKey.name, ...(def.sortKey ? [def.sortKey.name] : [])];
  return Object.fromEntries(
    Object.entries(TABLES as Record<string, TableDef>).map(([name, def]) => [
      name,
      { keys: keys(def), indexes: (def.indexes ?? []).map((index) => ({ name: index.name, keys: keys(index), ...projected(index) })) },
    ]),
  );
}
