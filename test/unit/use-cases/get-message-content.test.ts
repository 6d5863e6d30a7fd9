/** getMessageContent over the in-memory message store: which html it shows, and the answers it refuses with. */
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../lib/domain/errors.ts';
import type { StoredMessage } from '../../../lib/domain/message.ts';
import type { MessageStore } from '../../../lib/ports/message-store.ts';
import { getMessageContent } from '../../../lib/use-cases/get-message-content.ts';
import { MemoryMessageStore } from '../../support/fakes/index.ts';

const NOW = '2026-12-06T10:00:00.000Z';

/** A stored message of tenant `acme` with the content fields given. */
function stored(content: Partial<StoredMessage['message']['content']>, raw?: { key: string; bytes: number }): StoredMessage {
  return {
    message: {
      id: '01CONTENT00000000000000000',
      tenant: 'acme',
      createdAt: NOW,
      updatedAt: NOW,
      messageIdHeader: '<01content00000000000000000@shop.example>',
      envelopeFrom: 'news@shop.example',
      content: { from: 'news@shop.example', to: ['ann@example.org'], cc: [], bcc: [], replyTo: [], subject: 'Hi', headers: {}, ...content },
      tags: {},
      metadata: {},
      status: 'queued',
      attempts: 0,
      ...(raw && { raw }),
    },
    recipients: [],
  };
}

describe('getMessageContent', () => {
  it('shows the html the sender gave when tracking rewrote it, and never the tracked copy', async () => {
    const messages = new MemoryMessageStore(
      stored({ html: '<a href="https://t.example/t/c/x">Sale</a>', sourceHtml: '<a href="https://shop.example/sale">Sale</a>' }),
    );
    const content = await getMessageContent({ messages }, 'acme', '01CONTENT00000000000000000');
    expect(content.html).toBe('<a href="https://shop.example/sale">Sale</a>');
  });

  it('refuses a message submitted over SMTP with 409 content_not_stored', async () => {
    const messages = new MemoryMessageStore(stored({}, { key: 'smtp/01CONTENT00000000000000000.eml', bytes: 120 }));
    const refused = getMessageContent({ messages }, 'acme', '01CONTENT00000000000000000');
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toMatchObject({ status: 409, code: 'content_not_stored' });
  });

  it('answers 410 content_expired when the store says the bodies are gone', async () => {
    const message = stored({ text: 'gone' }).message;
    const store = { getContent: async () => ({ message, bodyKept: false }) } as unknown as MessageStore;
    await expect(getMessageContent({ messages: store }, 'acme', message.id)).rejects.toMatchObject({
      status: 410,
      code: 'content_expired',
    });
  });

  it('answers another tenant, and an id that cannot be one, not found', async () => {
    const messages = new MemoryMessageStore(stored({ text: 'Hi' }));
    await expect(getMessageContent({ messages }, 'other', '01CONTENT00000000000000000')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getMessageContent({ messages }, 'acme', '../x')).rejects.toBeInstanceOf(NotFoundError);
  });
});
