/**
 * One message: recipients, the event timeline, bounce explanations, its content (the html in a
 * sandboxed frame, the text), tags, metadata and headers.
 */
import { useState } from 'preact/hooks';
import { HtmlPreview } from '../preview.tsx';
import { can, ErrorNote, Page, Status, useLoad, useRefresh, useSession, when } from '../ui.tsx';

interface Answer {
  code?: number;
  enhanced?: string;
  response?: string;
}

interface MessageEvent {
  type: string;
  at: string;
  recipient?: string;
  attempt?: number;
  detail: {
    relay?: string;
    answer?: Answer;
    bounce_type?: string;
    reason?: string;
    category?: string;
    explanation?: string;
    diagnostic?: string;
    link?: string;
    retry_at?: string;
    send_at?: string;
  };
}

interface Message {
  id: string;
  status: string;
  send_at?: string;
  created_at: string;
  updated_at: string;
  message_id_header?: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  template?: { id: string; version: number };
  tags: Record<string, string>;
  metadata: Record<string, unknown>;
  attempts: number;
  recipients: { email: string; kind: string; status: string; attempts: number; last_answer?: Answer }[];
  events: MessageEvent[];
}

/** `GET /v1/messages/{id}/content`. */
interface Content {
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string>;
  attachments: { filename: string; content_type: string; size: number }[];
}

/** A size in bytes, as people read it. */
function bytes(size: number): string {
  return size < 1024 ? `${size} bytes` : size < 1024 * 1024 ? `${(size / 1024).toFixed(1)} KB` : `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** The message's html and text, one tab each; the html in a frame that runs and fetches nothing. */
function ContentView({ content }: { content: Content }) {
  const tabs = [
    ...(content.html !== undefined ? [{ key: 'html', label: 'HTML' }] : []),
    ...(content.text !== undefined ? [{ key: 'text', label: 'Text' }] : []),
  ];
  const [chosen, choose] = useState(tabs[0]?.key);
  if (!tabs.length) return <p class="muted">The message has no text or html part.</p>;
  const shown = tabs.some((t) => t.key === chosen) ? chosen : tabs[0]!.key;
  return (
    <div class="content-view">
      <div role="tablist" aria-label="Content" class="tabs">
        {tabs.map((t) => (
          <button
            type="button"
            role="tab"
            key={t.key}
            id={`tab-${t.key}`}
            aria-selected={shown === t.key}
            aria-controls={`panel-${t.key}`}
            onClick={() => choose(t.key)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${shown}`} aria-labelledby={`tab-${shown}`} class="preview">
        {shown === 'html' ? <HtmlPreview title="Message HTML" html={content.html ?? ''} /> : <pre class="text-part">{content.text}</pre>}
      </div>
    </div>
  );
}

/** What an event means, in words. */
function describe(event: MessageEvent): string {
  const d = event.detail;
  const answer = d.answer?.response ? ` — the server said “${d.answer.response}”` : '';
  switch (event.type) {
    case 'bounced':
      return `${d.bounce_type === 'soft' ? 'Soft' : 'Hard'} bounce: ${d.explanation ?? d.reason ?? 'the receiving server refused the message'}${answer}`;
    case 'deferred':
      return `Delivery was put off and will be retried${d.retry_at ? ` at ${when(d.retry_at)}` : ''}${answer}`;
    case 'sent':
      return `Handed to the ${d.relay ?? 'relay'}${answer}`;
    case 'complained':
      return 'The recipient marked the message as spam.';
    case 'clicked':
      return `Clicked ${d.link ?? 'a link'}`;
    case 'scheduled':
      return `To be sent at ${when(d.send_at)}`;
    default:
      return d.explanation ?? d.reason ?? '';
  }
}

/** The message page. */
export function MessagePage({ id }: { id: string }) {
  const { api, caller } = useSession();
  const message = useLoad(() => api.get<Message>(`/messages/${encodeURIComponent(id)}`), [id]);
  // Read once: what a message says never changes (its status does).
  const content = useLoad(() => api.get<Content>(`/messages/${encodeURIComponent(id)}/content`), [id]);
  const [error, setError] = useState<unknown>();
  useRefresh(message.reload, 3000);
  const m = message.data;
  const cancel = async () => {
    try {
      await api.post(`/messages/${encodeURIComponent(id)}/cancel`);
      message.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <Page title={m ? m.subject || '(no subject)' : 'Message'} actions={<a href="#/activity">Back to Activity</a>}>
      <ErrorNote error={message.error} />
      {m && (
        <>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <Status value={m.status} />
            </dd>
            <dt>Id</dt>
            <dd>
              <code>{m.id}</code>
            </dd>
            <dt>From</dt>
            <dd>{m.from}</dd>
            <dt>Created</dt>
            <dd>{when(m.created_at)} UTC</dd>
            {m.send_at && (
              <>
                <dt>Send at</dt>
                <dd>{when(m.send_at)} UTC</dd>
              </>
            )}
            {m.template && (
              <>
                <dt>Template</dt>
                <dd>
                  {m.template.id} (version {m.template.version})
                </dd>
              </>
            )}
          </dl>
          {m.status === 'scheduled' && (
            <p>
              <button
                type="button"
                onClick={cancel}
                disabled={!can(caller, 'send')}
                title={can(caller, 'send') ? '' : 'needs the send scope'}
              >
                Cancel this scheduled message
              </button>
            </p>
          )}
          <ErrorNote error={error} />
          <h2>Recipients</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Last answer</th>
                </tr>
              </thead>
              <tbody>
                {m.recipients.map((r) => (
                  <tr key={r.email}>
                    <td>{r.email}</td>
                    <td>{r.kind}</td>
                    <td>
                      <Status value={r.status} />
                    </td>
                    <td>{r.attempts}</td>
                    <td>{r.last_answer?.response ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Timeline</h2>
          <ol class="timeline" aria-label="Events">
            {m.events.map((e, i) => (
              <li key={i} data-event={e.type}>
                <time dateTime={e.at}>{when(e.at)}</time> <Status value={e.type} />{' '}
                {e.recipient && <span class="muted">{e.recipient}</span>} <span>{describe(e)}</span>
              </li>
            ))}
          </ol>
          <h2>Content</h2>
          <ErrorNote error={content.error} />
          {content.data && <ContentView content={content.data} />}
          {content.data && content.data.attachments.length > 0 && (
            <>
              <h3>Files</h3>
              <ul class="plain" aria-label="Files">
                {content.data.attachments.map((a, i) => (
                  <li key={i}>
                    {a.filename}{' '}
                    <span class="muted">
                      ({a.content_type}, {bytes(a.size)})
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>Tags and metadata</h2>
          <dl class="facts">
            {Object.entries(m.tags).map(([k, v]) => (
              <>
                <dt key={`t-${k}`}>tag {k}</dt>
                <dd>{v}</dd>
              </>
            ))}
            {Object.entries(m.metadata).map(([k, v]) => (
              <>
                <dt key={`m-${k}`}>{k}</dt>
                <dd>{JSON.stringify(v)}</dd>
              </>
            ))}
          </dl>
          {!Object.keys(m.tags).length && !Object.keys(m.metadata).length && <p class="muted">None.</p>}
          <h2>Headers</h2>
          <dl class="facts">
            <dt>Message-ID</dt>
            <dd>
              <code>{m.message_id_header}</code>
            </dd>
            <dt>From</dt>
            <dd>{m.from}</dd>
            <dt>To</dt>
            <dd>{m.to.join(', ')}</dd>
            {m.cc.length > 0 && (
              <>
                <dt>Cc</dt>
                <dd>{m.cc.join(', ')}</dd>
              </>
            )}
            <dt>Subject</dt>
            <dd>{m.subject}</dd>
            {Object.entries(content.data?.headers ?? {}).map(([name, value]) => (
              <>
                <dt key={`h-${name}`}>{name}</dt>
                <dd>{value}</dd>
              </>
            ))}
          </dl>
        </>
      )}
    </Page>
  );
}
