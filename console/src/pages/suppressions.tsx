/** Suppressions: search, add, remove, with the reason and the message that caused each. */
import { useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { can, ErrorNote, Page, useLoad, useSession, when } from '../ui.tsx';

interface Suppression {
  email: string;
  reason: string;
  created_at: string;
  source_message_id?: string;
  detail?: string;
}

const REASONS: Record<string, string> = {
  hard_bounce: 'hard bounce: the address does not exist or refuses mail',
  complaint: 'complaint: the recipient marked mail as spam',
  unsubscribe: 'unsubscribed',
  manual: 'added by hand',
};

/** The Suppressions page. */
export function Suppressions() {
  const { api, caller } = useSession();
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Suppression[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [email, setEmail] = useState('');
  const [reason, setReason] = useState('manual');
  const [detail, setDetail] = useState('');
  const list = useLoad(
    () => api.get<{ data: Suppression[]; next_cursor: string | null }>('/suppressions', { limit: 50, cursor }),
    [cursor],
  );
  const writable = can(caller, 'send');

  const find = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    if (!search.trim()) return setFound(null);
    try {
      setFound([await api.get<Suppression>(`/suppressions/${encodeURIComponent(search.trim())}`)]);
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setFound([]);
      else setError(failure);
    }
  };
  const add = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.put(`/suppressions/${encodeURIComponent(email.trim())}`, { reason, ...(detail && { detail }) });
      setEmail('');
      setDetail('');
      setFound(null);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const remove = async (address: string) => {
    setError(undefined);
    try {
      await api.del(`/suppressions/${encodeURIComponent(address)}`);
      setFound(null);
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const rows = found ?? list.data?.data ?? [];
  return (
    <Page title="Suppressions">
      <p class="muted">Addresses mailroom will not send to: bounced, complained, unsubscribed or added by hand.</p>
      <form class="inline" onSubmit={find} role="search">
        <label>
          Find an address
          <input type="search" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      {writable ? (
        <form class="inline" onSubmit={add} aria-label="Add a suppression">
          <label>
            Address to suppress
            <input type="email" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Reason
            <select value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
              {Object.keys(REASONS).map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <label>
            Note
            <input value={detail} maxLength={1000} onInput={(e) => setDetail((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Add</button>
        </form>
      ) : (
        <p class="muted">Adding and removing needs the send scope.</p>
      )}
      <ErrorNote error={error ?? list.error} />
      {found && !found.length && <p>No suppression for {search}.</p>}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Reason</th>
              <th scope="col">Since (UTC)</th>
              <th scope="col">Caused by</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.email} data-suppression={s.email}>
                <td>{s.email}</td>
                <td>
                  {REASONS[s.reason] ?? s.reason}
                  {s.detail && <div class="muted">{s.detail}</div>}
                </td>
                <td>{when(s.created_at)}</td>
                <td>{s.source_message_id ? <a href={`#/messages/${encodeURIComponent(s.source_message_id)}`}>message</a> : '—'}</td>
                <td>
                  {writable && (
                    <button type="button" class="small secondary" onClick={() => remove(s.email)} aria-label={`Remove ${s.email}`}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!found && list.data && !list.data.data.length && <p class="muted">No suppressions.</p>}
      <p class="pager">
        {!found && list.data?.next_cursor && (
          <button type="button" class="secondary" onClick={() => setCursor(list.data!.next_cursor!)}>
            More
          </button>
        )}
      </p>
    </Page>
  );
}
