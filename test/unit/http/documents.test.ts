/**
 * The answers' schemas (lib/http/documents) against the views the routes answer with, checked
 * by the compiler: each view's type must be one its schema accepts, so that a field renamed,
 * dropped or retyped in a view fails the type check. (Fields a view adds are caught by the
 * answers test: the schemas refuse properties they do not name.)
 */
import type * as z from 'zod';
import { describe, expect, it } from 'vitest';
import type { campaignView } from '../../../lib/domain/campaign.ts';
import type { templateSummaryView, templateView } from '../../../lib/domain/stored-template.ts';
import type { UPLOAD } from '../../../lib/http/documents/attachments.ts';
import type { CAMPAIGN } from '../../../lib/http/documents/campaigns.ts';
import type { DOMAIN } from '../../../lib/http/documents/domains.ts';
import type { EXPORT, EXPORT_QUEUED } from '../../../lib/http/documents/exports.ts';
import type { CONTACT, IMPORT_JOB, IMPORT_RESULT, LIST } from '../../../lib/http/documents/lists.ts';
import type { ACCEPTED, BATCH_RESULT, MESSAGE, MESSAGE_PAGE } from '../../../lib/http/documents/messages.ts';
import type { CAMPAIGN_STATS, DAILY_REPORT, LIST_STATS } from '../../../lib/http/documents/reports.ts';
import type { SUPPRESSION, SUPPRESSION_PAGE } from '../../../lib/http/documents/suppressions.ts';
import type { RENDERED_TEMPLATE, TEMPLATE, TEMPLATE_PAGE, TEMPLATE_SUMMARY } from '../../../lib/http/documents/templates.ts';
import type { TENANT } from '../../../lib/http/documents/tenants.ts';
import type {
  WEBHOOK,
  WEBHOOK_CREATED,
  WEBHOOK_DELIVERY,
  WEBHOOK_DELIVERY_PAGE,
  WEBHOOK_PAGE,
  WEBHOOK_SECRET,
} from '../../../lib/http/documents/webhooks.ts';
import type { acceptBatch, acceptMessage } from '../../../lib/use-cases/accept-message.ts';
import type { createUpload } from '../../../lib/use-cases/attachments.ts';
import type { cancelMessage } from '../../../lib/use-cases/cancel-message.ts';
import type { acceptImport, getImport, ImportOutcome } from '../../../lib/use-cases/contact-import-jobs.ts';
import type { importContacts } from '../../../lib/use-cases/contact-import.ts';
import type { contactView } from '../../../lib/use-cases/contacts.ts';
import type { dailyReport } from '../../../lib/use-cases/daily-report.ts';
import type { domainView } from '../../../lib/use-cases/domains.ts';
import type { createExport, getExport } from '../../../lib/use-cases/exports.ts';
import type { getMessage } from '../../../lib/use-cases/get-message.ts';
import type { listMessages } from '../../../lib/use-cases/list-messages.ts';
import type { listView } from '../../../lib/use-cases/lists.ts';
import type { campaignStats, listStats } from '../../../lib/use-cases/stats.ts';
import type { getSuppression, listSuppressions } from '../../../lib/use-cases/suppressions.ts';
import type { listTemplates, renderTemplate } from '../../../lib/use-cases/templates.ts';
import type { tenantView } from '../../../lib/use-cases/tenants.ts';
import type { listDeliveries, retryDelivery, testWebhook } from '../../../lib/use-cases/webhook-deliveries.ts';
import type { createWebhook, getWebhook, listWebhooks, rotateWebhookSecret, updateWebhook } from '../../../lib/use-cases/webhooks.ts';

type Answer<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
/** What an import answers: its result (200), or its job (202). */
type Imported<K extends ImportOutcome['kind']> = Extract<Answer<typeof acceptImport>, { kind: K }>;

/** `true`, and a type error unless `_View` is a type the schema's input `Schema` accepts. */
const accepts =
  <Schema>() =>
  <_View extends Schema>(): true =>
    true;

describe('the answers’ schemas', () => {
  it('accept the views the routes answer with (a type check)', () => {
    const checked = [
      accepts<z.input<typeof ACCEPTED>>()<Answer<typeof acceptMessage>>(),
      accepts<z.input<typeof BATCH_RESULT>>()<Answer<typeof acceptBatch>>(),
      accepts<z.input<typeof MESSAGE>>()<Answer<typeof getMessage>>(),
      accepts<z.input<typeof MESSAGE>>()<Answer<typeof cancelMessage>>(),
      accepts<z.input<typeof MESSAGE_PAGE>>()<Answer<typeof listMessages>>(),
      accepts<z.input<typeof UPLOAD>>()<Answer<typeof createUpload>>(),
      accepts<z.input<typeof SUPPRESSION>>()<Answer<typeof getSuppression>>(),
      accepts<z.input<typeof SUPPRESSION_PAGE>>()<Answer<typeof listSuppressions>>(),
      accepts<z.input<typeof LIST>>()<Answer<typeof listView>>(),
      accepts<z.input<typeof CONTACT>>()<Answer<typeof contactView>>(),
      accepts<z.input<typeof IMPORT_RESULT>>()<Answer<typeof importContacts>>(),
      accepts<z.input<typeof IMPORT_RESULT>>()<Imported<'done'>['answer']>(),
      accepts<z.input<typeof IMPORT_JOB>>()<Imported<'queued'>['job']>(),
      accepts<z.input<typeof IMPORT_JOB>>()<Answer<typeof getImport>>(),
      accepts<z.input<typeof TEMPLATE>>()<Answer<typeof templateView>>(),
      accepts<z.input<typeof TEMPLATE_SUMMARY>>()<Answer<typeof templateSummaryView>>(),
      accepts<z.input<typeof TEMPLATE_PAGE>>()<Answer<typeof listTemplates>>(),
      accepts<z.input<typeof RENDERED_TEMPLATE>>()<Answer<typeof renderTemplate>>(),
      accepts<z.input<typeof DAILY_REPORT>>()<Answer<typeof dailyReport>>(),
      accepts<z.input<typeof LIST_STATS>>()<Answer<typeof listStats>>(),
      accepts<z.input<typeof CAMPAIGN_STATS>>()<Answer<typeof campaignStats>>(),
      accepts<z.input<typeof EXPORT_QUEUED>>()<Answer<typeof createExport>>(),
      accepts<z.input<typeof EXPORT>>()<Answer<typeof getExport>>(),
      accepts<z.input<typeof CAMPAIGN>>()<Answer<typeof campaignView>>(),
      accepts<z.input<typeof DOMAIN>>()<Answer<typeof domainView>>(),
      accepts<z.input<typeof TENANT>>()<Answer<typeof tenantView>>(),
      accepts<z.input<typeof WEBHOOK_CREATED>>()<Answer<typeof createWebhook>>(),
      accepts<z.input<typeof WEBHOOK>>()<Answer<typeof getWebhook>>(),
      accepts<z.input<typeof WEBHOOK>>()<Answer<typeof updateWebhook>>(),
      accepts<z.input<typeof WEBHOOK_PAGE>>()<Answer<typeof listWebhooks>>(),
      accepts<z.input<typeof WEBHOOK_SECRET>>()<Answer<typeof rotateWebhookSecret>>(),
      accepts<z.input<typeof WEBHOOK_DELIVERY>>()<Answer<typeof testWebhook>>(),
      accepts<z.input<typeof WEBHOOK_DELIVERY>>()<Answer<typeof retryDelivery>>(),
      accepts<z.input<typeof WEBHOOK_DELIVERY_PAGE>>()<Answer<typeof listDeliveries>>(),
    ];
    expect(checked.every(Boolean)).toBe(true);
  });
});
