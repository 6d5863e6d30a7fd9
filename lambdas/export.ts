/** Lambda: consumes the exports queue and streams CSV reports to S3 (partial batch responses). */
import { createExportHandler } from '../lib/handlers/export-handler.ts';
import { wireExport } from '../lib/wiring/export.ts';

export const handler = createExportHandler(wireExport(process.env));
