/** Descriptions of the report and export routes. */
import * as z from 'zod';
import { EXPORT_REQUEST } from '../../domain/export-request.ts';
import { EXPORT, EXPORT_QUEUED } from '../../http/documents/exports.ts';
import { named } from '../../http/documents/registry.ts';
import { DAILY_REPORT, REPORT } from '../../http/documents/reports.ts';
import type { RouteDoc } from '../../http/route-doc.ts';
import { dayRange } from './common.ts';

export const getReport: RouteDoc = {
  operationId: 'getReport',
  tag: 'Reports',
  summary: 'Counters and rates over a range of days',
  description:
    'By day (for all mail, or the series of one tag or one sending domain), or summed over the range by tag or by sending domain. Every event is counted once.',
  query: {
    ...dayRange(true),
    group_by: { schema: z.enum(['day', 'tag', 'domain']).default('day'), description: 'rows by day, by tag value or by sending domain' },
    tag: { schema: z.string(), description: '`name=value`: the day series of one tag (group_by=day)' },
    domain: { schema: z.string(), description: 'the day series of one sending domain (group_by=day); not with `tag`' },
  },
  responses: { 200: { description: 'The report.', schema: REPORT } },
};

export const getDailyReport: RouteDoc = {
  operationId: 'getDailyReport',
  tag: 'Reports',
  summary: 'Daily counters over a range of days',
  query: dayRange(true),
  responses: { 200: { description: 'The days and their totals.', schema: DAILY_REPORT } },
};

export const createExport: RouteDoc = {
  operationId: 'createExport',
  tag: 'Reports',
  summary: 'Start a downloadable CSV report',
  description: 'A job: poll it with `GET /v1/exports/{id}` until it is `done`, then download `download_url`.',
  body: { schema: named('ExportRequest', EXPORT_REQUEST) },
  responses: { 202: { description: 'Queued.', schema: EXPORT_QUEUED } },
  errors: { 503: '`service_unavailable`: the job could not be queued; retry.' },
};

export const getExport: RouteDoc = {
  operationId: 'getExport',
  tag: 'Reports',
  summary: 'Read an export job, with its download link once done',
  params: { id: 'the id the export answered' },
  responses: { 200: { description: 'The job.', schema: EXPORT } },
  errors: { 404: '`not_found`: no export of that id for this tenant, or one past its 7 days.' },
};
