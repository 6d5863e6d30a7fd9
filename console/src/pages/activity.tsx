/** Activity: the message feed, newest first, filtered, refreshing while open. */
import { useState } from 'preact/hooks';
import { ErrorNote, Page, Status, useLoad, useRefresh, useSession, when } from '../ui.tsx';

interface Summary {
  id: string;
  status: string;
  created_at: string;
  from: string;
  to: string[];
  subject: string;
  tags: Record<string, string>;
}

const STATUSES = ['', 'queued', 'scheduled', 'sent', 'delivered', 'deferred', 'bounced', 'complained', 'failed', 'canceled', 'rejected'];
type Filters = Record<'status' | 'to' | 'tag' | 'template' | 'campaign' | 'after' | 'before', string>;
const EMPTY: Filters = { status: '', to: '', tag: '', template: '', campaign: '', after: '', before: '' };

/** `YYYY-MM-DD` from a date field as the start of that UTC day; other values as given. */
function instant(value: string, end = false): string | undefined {
  if (!value) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : value;
}

/** The Activity page. */
export function Activity() {
  const { api } = useSession();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [cursor, setCursor] = useState<string | undefined>();
  const feed = useLoad(
    () =>
      api.get<{ data: Summary[]; next_cursor: string | null }>('/messages', {
        limit: 50,
        cursor,
        status: filters.status,
        to: filters.to,
        tag: filters.tag,
        template: filters.template,
        campaign: filters.campaign,
        after: instant(filters.after),
        before: instant(filters.before, true),
      }),
    [filters, cursor],
  );
  useRefresh(feed.reload, 3000);
  const field = (name: keyof Filters, label: string, type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        name={name}
        value={draft[name]}
        onInput={(e) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value })}
        {...(name === 'tag' && { placeholder: 'name=value' })}
      />
    </label>
  );
  const apply = (event: Event) => {
    event.preventDefault();
    setCursor(undefined);
    setFilters(draft);
  };
  return (
    <Page title="Activity">
      <form class="filters" onSubmit={apply} aria-label="Filters">
        <label>
          Status
          <select
            name="status"
            value={draft.status}
            onChange={(e) => setDraft({ ...draft, status: (e.target as HTMLSelectElement).value })}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s || 'any'}
              </option>
            ))}
          </select>
        </label>
        {field('to', 'Recipient', 'email')}
        {field('tag', 'Tag')}
        {field('template', 'Template')}
        {field('campaign', 'Campaign')}
        {field('after', 'From', 'date')}
        {field('before', 'To', 'date')}
        <button type="submit">Filter</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft(EMPTY);
            setFilters(EMPTY);
            setCursor(undefined);
          }}
        >
          Clear
        </button>
      </form>
      <ErrorNote error={feed.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Messages, newest first (refreshes every 3 seconds)</caption>
          <thead>
            <tr>
              <th scope="col">Created (UTC)</th>
              <th scope="col">Status</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Tags</th>
            </tr>
          </thead>
          <tbody>
            {(feed.data?.data ?? []).map((m) => (
              <tr key={m.id} data-message={m.id}>
                <td>{when(m.created_at)}</td>
                <td>
                  <Status value={m.status} />
                </td>
                <td>{m.to.join(', ')}</td>
                <td>
                  <a href={`#/messages/${encodeURIComponent(m.id)}`}>{m.subject || '(no subject)'}</a>
                </td>
                <td>
                  {Object.entries(m.tags)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {feed.data && !feed.data.data.length && <p class="muted">No messages match.</p>}
      <p class="pager">
        {cursor && (
          <button type="button" class="secondary" onClick={() => setCursor(undefined)}>
            Newest
          </button>
        )}
        {feed.data?.next_cursor && (
          <button type="button" class="secondary" onClick={() => setCursor(feed.data!.next_cursor!)}>
            Older
          </button>
        )}
      </p>
    </Page>
  );
}
