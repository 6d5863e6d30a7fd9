/**
 * The API's named schemas: each becomes `#/components/schemas/<id>` in the OpenAPI document,
 * and a type of that name in generated clients. Request bodies are the zod schemas that
 * validate them (lib/domain), named where the routes are described; answers are the schemas
 * of this folder.
 */
import * as z from 'zod';

/** Named schemas, by schema. */
export const API_SCHEMAS = z.registry<{ id: string }>();

/** `schema`, named `id` in the document. Throws when the name is taken by another schema. */
export function named<T extends z.ZodType>(id: string, schema: T): T {
  const existing = API_SCHEMAS.get(schema);
  if (existing?.id === id) return schema;
  API_SCHEMAS.add(schema, { id });
  return schema;
}

/** The name of a schema, if it has one. */
export function schemaName(schema: z.ZodType): string | undefined {
  return API_SCHEMAS.get(schema)?.id;
}
