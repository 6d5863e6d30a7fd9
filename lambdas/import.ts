/** Lambda: consumes the import queue and writes large contact imports step by step (partial batch responses). */
import { createImportHandler } from '../lib/handlers/import-handler.ts';
import { wireImport } from '../lib/wiring/import.ts';

export const handler = createImportHandler(wireImport(process.env));
