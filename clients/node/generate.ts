/**
 * Writes the client's generated files from the API's own routes: `openapi.json` (the OpenAPI
 * document the API serves at GET /v1/openapi.json) and `src/schema.ts` (its types, written by
 * openapi-typescript). Run `npm run client:generate` after changing a route or a schema; a
 * unit test fails while the committed files differ from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { describedRoutes } from '../../lib/handlers/api-handler.ts';
import { openApiDocument } from '../../lib/http/openapi.ts';

/** The committed document. */
export const DOCUMENT_FILE = fileURLToPath(new URL('./openapi.json', import.meta.url));
/** The committed types. */
export const TYPES_FILE = fileURLToPath(new URL('./src/schema.ts', import.meta.url));

const HEADER = `/**
 * The mailroom API's types, generated from its OpenAPI document by openapi-typescript.
 * Do not edit: run \`npm run client:generate\`.
 */

`;

/** The text of both files as the routes describe the API now. */
export async function generatedFiles(): Promise<{ document: string; types: string }> {
  const document = openApiDocument(describedRoutes());
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    silent: true,
    // `SendRequest`, `Message`…: each named schema as a type of its own, besides `components`.
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
  });
  return { document: `${JSON.stringify(document, null, 2)}\n`, types: HEADER + astToString(ast) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { document, types } = await generatedFiles();
  writeFileSync(DOCUMENT_FILE, document);
  writeFileSync(TYPES_FILE, types);
  process.stdout.write(`wrote ${DOCUMENT_FILE} and ${TYPES_FILE}\n`);
}
