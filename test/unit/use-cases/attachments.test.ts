import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES, type StoredAttachment } from '../../../lib/domain/attachments.ts';
import { MailroomError, PoisonMessageError } from '../../../lib/domain/errors.ts';
import type { MessageRecord } from '../../../lib/domain/message.ts';
import { parseSendRequest } from '../../../lib/domain/send-request.ts';
import { uploadKey } from '../../../lib/ports/attachment-store.ts';
import { createUpload, loadAttachments, storeAttachments, UPLOAD_URL_SECONDS } from '../../../lib/use-cases/attachments.ts';
import { clockAt, MemoryAttachmentStore, MemoryUploadStore } from '../../support/fakes/index.ts';

const DAY = 86_400_000;
const UPLOAD_ID = '01JFV4R6Q3Y5W7E9G1H3K5M7N9';

function setup() {
  const store = new MemoryAttachmentStore();
  const uploads = new MemoryUploadStore();
  const clock = clockAt('2026-11-28T12:00:00.000Z');
  const attachments = {
    store,
    uploads,
    contentTypeOf: (name: string) => (name.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream'),
    uploadUsableMs: 28 * DAY,
  };
  return { store, uploads, clock, deps: { attachments, clock, newId: () => UPLOAD_ID } };
}

const send = (attachments: unknown[]) =>
  parseSendRequest({ from: 'orders@shop.example', to: 'ann@example.com', subject: 'Hi', text: 'Hi', attachments });

/** The error a promise rejects with, as a MailroomError. */
async function refusal(promise: Promise<unknown>): Promise<MailroomError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailroomError);
  return error as MailroomError;
}

describe('createUpload', () => {
  it('records the upload for its tenant and answers a URL for exactly its size', async () => {
    const { deps, uploads } = setup();
    const answer = await createUpload(deps, 'acme', { filename: 'report.pdf', size: 1234 });
    expect(answer).toEqual({
      id: UPLOAD_ID,
      upload_url: `memory://${uploadKey('acme', UPLOAD_ID)}?size=1234&expires=${UPLOAD_URL_SECONDS}`,
      expires_at: '2026-11-28T12:15:00.000Z',
      filename: 'report.pdf',
      content_type: 'application/pdf',
      size: 1234,
    });
    expect(await uploads.get('acme', UPLOAD_ID)).toEqual({
      id: UPLOAD_ID,
      tenant: 'acme',
      filename: 'report.pdf',
      size: 1234,
      createdAt: '2026-11-28T12:00:00.000Z',
    });
  });

  it('takes the id of an idempotent request', async () => {
    const { deps } = setup();
    expect((await createUpload(deps, 'acme', { filename: 'a.zip', size: 1 }, () => '01JFV4R6Q3Y5W7E9G1H3K5M7NB')).id).toBe(
      '01JFV4R6Q3Y5W7E9G1H3K5M7NB',
    );
  });
});

describe('storeAttachments', () => {
  it('stores inline bytes under keys of the message, and refers to uploads where they are', async () => {
    const { deps, store } = setup();
    await createUpload(deps, 'acme', { filename: 'big.pdf', content_type: 'application/x-pdf', size: 3 });
    store.upload(uploadKey('acme', UPLOAD_ID), Buffer.from('abc'));
    const stored = await storeAttachments(
      deps,
      'acme',
      '01MSG',
      send([
        { filename: 'a.pdf', content: 'aGk=' },
        { attachment_id: UPLOAD_ID },
        { attachment_id: UPLOAD_ID, filename: 'renamed.bin', content_id: 'x@y' },
      ]),
    );
    expect(stored).toEqual<StoredAttachment[]>([
      { key: 'attachments/acme/01MSG/0', filename: 'a.pdf', contentType: 'application/pdf', size: 2, disposition: 'attachment' },
      { key: uploadKey('acme', UPLOAD_ID), filename: 'big.pdf', contentType: 'application/x-pdf', size: 3, disposition: 'attachment' },
      {
        key: uploadKey('acme', UPLOAD_ID),
        filename: 'renamed.bin',
        contentType: 'application/x-pdf',
        size: 3,
        disposition: 'inline',
        contentId: 'x@y',
      },
    ]);
    expect(store.objects.get('attachments/acme/01MSG/0')).toEqual({ bytes: Buffer.from('hi'), contentType: 'application/pdf' });
    expect(await storeAttachments(deps, 'acme', '01MSG', send([]))).toBeUndefined();
  });

  it("refuses another tenant's upload, one never uploaded and one too old, naming the attachment, storing nothing", async () => {
    const { deps, store, clock } = setup();
    await createUpload(deps, 'acme', { filename: 'big.pdf', size: 3 });
    const mixed = (id: string) => send([{ filename: 'a.txt', content: 'aGk=' }, { attachment_id: id }]);

    const foreign = await refusal(storeAttachments(deps, 'other', '01MSG', mixed(UPLOAD_ID)));
    expect(foreign).toMatchObject({ status: 400, code: 'attachment_not_found', details: [{ field: 'attachments[1].attachment_id' }] });
    expect(foreign.message).toContain(UPLOAD_ID);

    const missing = await refusal(storeAttachments(deps, 'acme', '01MSG', mixed(UPLOAD_ID)));
    expect(missing).toMatchObject({ status: 400, code: 'attachment_not_uploaded', details: [{ field: 'attachments[1].attachment_id' }] });
    store.upload(uploadKey('acme', UPLOAD_ID), Buffer.from('ab'));
    expect(await refusal(storeAttachments(deps, 'acme', '01MSG', mixed(UPLOAD_ID)))).toMatchObject({ code: 'attachment_not_uploaded' });

    store.upload(uploadKey('acme', UPLOAD_ID), Buffer.from('abc'));
    clock.advance(28 * DAY + 1);
    expect(await refusal(storeAttachments(deps, 'acme', '01MSG', mixed(UPLOAD_ID)))).toMatchObject({ code: 'attachment_expired' });
    expect([...store.objects.keys()]).toEqual([uploadKey('acme', UPLOAD_ID)]);
  });

  it('refuses with 413 a message that would be over 40 MB once composed', async () => {
    const { deps, store, uploads } = setup();
    for (const id of ['01JFV4R6Q3Y5W7E9G1H3K5M7N1', '01JFV4R6Q3Y5W7E9G1H3K5M7N2']) {
      await uploads.put({ id, tenant: 'acme', filename: 'part.zip', size: MAX_UPLOAD_BYTES, createdAt: '2026-11-28T12:00:00.000Z' });
      store.upload(uploadKey('acme', id), Buffer.alloc(0));
      store.objects.get(uploadKey('acme', id))!.bytes = { length: MAX_UPLOAD_BYTES } as Buffer;
    }
    const error = await refusal(
      storeAttachments(
        deps,
        'acme',
        '01MSG',
        send([{ attachment_id: '01JFV4R6Q3Y5W7E9G1H3K5M7N1' }, { attachment_id: '01JFV4R6Q3Y5W7E9G1H3K5M7N2' }]),
      ),
    );
    expect(error).toMatchObject({ status: 413, code: 'message_too_large', details: { limit_bytes: 40 * 1024 * 1024 } });
    expect(error.message).toMatch(/about 7\d\.\d MiB once encoded/);
  });
});

describe('loadAttachments', () => {
  const message = (attachments?: StoredAttachment[]) => ({ id: '01MSG', content: { attachments } }) as unknown as MessageRecord;

  it('reads the bytes of every attachment, in order', async () => {
    const { store } = setup();
    await store.put('attachments/acme/01MSG/0', Buffer.from('one'), 'text/plain');
    const loaded = await loadAttachments(
      store,
      message([
        { key: 'attachments/acme/01MSG/0', filename: 'a.txt', contentType: 'text/plain', size: 3, disposition: 'inline', contentId: 'c' },
      ]),
    );
    expect(loaded).toEqual([
      { filename: 'a.txt', contentType: 'text/plain', disposition: 'inline', contentId: 'c', content: Buffer.from('one') },
    ]);
    expect(await loadAttachments(undefined, message())).toEqual([]);
  });

  it('cannot send a message whose bytes are gone', async () => {
    const { store } = setup();
    const gone = message([
      { key: 'attachments/acme/01MSG/9', filename: 'a.txt', contentType: 'text/plain', size: 3, disposition: 'attachment' },
    ]);
    await expect(loadAttachments(store, gone)).rejects.toThrow(PoisonMessageError);
    await expect(loadAttachments(undefined, gone)).rejects.toThrow(/no attachment store/);
  });
});
