/** Webhooks: endpoints, their recent deliveries with status, retry and test. */
import { useState } from 'preact/hooks';
import { can, CopyButton, ErrorNote, Page, Status, useLoad, useSession, when } from '../ui.tsx';

interface Webhook {
  id: string;
  url: string;
  events: string[];
  description?: string;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: string;
}

interface Delivery {
  id: string;
  type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error?: string | null;
  created_at?: string;
}

function Deliveries({ hook }: { hook: Webhook }) {
  const { api, caller } = useSession();
  const deliveries = useLoad(
    () => api.get<{ data: Delivery[] }>(`/webhooks/${encodeURIComponent(hook.id)}/deliveries`, { limit: 20 }),
    [hook.id],
  );
  const [error, setError] = useState<unknown>();
  const admin = can(caller, 'admin');
  const act = async (path: string) => {
    setError(undefined);
    try {
      await api.post(path);
      deliveries.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <article class="card" aria-labelledby={`w-${hook.id}`}>
      <header class="page-head">
        <h2 id={`w-${hook.id}`}>
          {hook.url} <Status value={hook.enabled ? 'enabled' : `disabled ${hook.disabled_reason ?? ''}`.trim()} />
        </h2>
        <span>
          <button type="button" class="secondary" onClick={() => act(`/webhooks/${encodeURIComponent(hook.id)}/test`)} disabled={!admin}>
            Send a test
          </button>{' '}
          <button type="button" class="secondary" onClick={deliveries.reload}>
            Refresh
          </button>
        </span>
      </header>
      <p class="muted">
        {hook.events.join(', ')} · created {when(hook.created_at)} {hook.description && `· ${hook.description}`}
      </p>
      <ErrorNote error={error ?? deliveries.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Recent deliveries to {hook.url}</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Tries</th>
              <th scope="col">Last answer</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(deliveries.data?.data ?? []).map((d) => (
              <tr key={d.id}>
                <td>{d.type}</td>
                <td>
                  <Status value={d.status} />
                </td>
                <td>{d.attempts}</td>
                <td>{d.last_status_code ?? d.last_error ?? '—'}</td>
                <td>
                  {admin && d.status === 'failed' && (
                    <button
                      type="button"
                      class="small secondary"
                      onClick={() => act(`/webhooks/${encodeURIComponent(hook.id)}/deliveries/${encodeURIComponent(d.id)}/retry`)}
                    >
                      Retry
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {deliveries.data && !deliveries.data.data.length && <p class="muted">No deliveries yet.</p>}
    </article>
  );
}

/** The Webhooks page. */
export function Webhooks() {
  const { api, caller } = useSession();
  const hooks = useLoad(() => api.get<{ data: Webhook[] }>('/webhooks', { limit: 100 }), []);
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<unknown>();
  const create = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const made = await api.post<{ secret?: string }>('/webhooks', { url });
      setSecret(made.secret);
      setUrl('');
      hooks.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <Page title="Webhooks">
      {can(caller, 'admin') ? (
        <form class="inline" onSubmit={create} aria-label="Register an endpoint">
          <label>
            Endpoint URL
            <input
              type="url"
              required
              value={url}
              placeholder="https://example.com/mailroom"
              onInput={(e) => setUrl((e.target as HTMLInputElement).value)}
            />
          </label>
          <button type="submit">Register</button>
        </form>
      ) : (
        <p class="muted">Registering, testing and retrying need an admin key.</p>
      )}
      {secret && (
        <div class="secret" role="status">
          <p>
            <strong>Signing secret</strong> — shown only now.
          </p>
          <code>{secret}</code> <CopyButton text={secret} label="signing secret" />
        </div>
      )}
      <ErrorNote error={error ?? hooks.error} />
      {hooks.data && !hooks.data.data.length && <p class="muted">No endpoints yet.</p>}
      {(hooks.data?.data ?? []).map((h) => (
        <Deliveries key={h.id} hook={h} />
      ))}
    </Page>
  );
}
