/**
 * `POST /v1/attachments` (scope `send`): an upload for a file too large to send inline. The
 * answer's `upload_url` takes the file's bytes by PUT; sends then name it by `attachment_id`.
 * With an `Idempotency-Key`, a retry gets the same upload.
 */
import { UnprocessableError } from '../domain/errors.ts';
import { jsonBody } from '../http/request.ts';
import { json } from '../http/response.ts';
import type { Route } from '../http/router.ts';
import type { Clock } from '../ports/clock.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import { createUpload, type AttachmentDeps } from '../use-cases/attachments.ts';
import { idempotent } from '../use-cases/idempotent.ts';
import * as messages from './route-docs/messages.ts';

/** What the attachment routes need. */
export interface AttachmentRouteDeps {
  attachments?: AttachmentDeps;
  idempotency: IdempotencyStore;
  clock: Clock;
  newId: () => string;
}

export function attachmentRoutes(deps: AttachmentRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/attachments',
      scope: 'send',
      doc: messages.createUpload,
      action: async ({ tenant, request }) => {
        const body = jsonBody(request);
        const attachments = deps.attachments;
        if (!attachments) throw new UnprocessableError('attachments_unavailable', 'This service takes no attachments.');
        const answer = await idempotent(deps.idempotency, deps.clock, tenant, request.headers['idempotency-key'], body, async (ids) => ({
          status: 201,
          body: await createUpload({ ...deps, attachments }, tenant, body, ids),
        }));
        return json(answer.status, answer.body);
      },
    },
  ];
}
