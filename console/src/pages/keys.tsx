/** API keys and SMTP credentials: create (the secret shown once), revoke. */
import { useState } from 'preact/hooks';
import { CopyButton, ErrorNote, Page, useLoad, useSession, when } from '../ui.tsx';

interface Key {
  id: string;
  prefix: string;
  scopes: string[];
  description?: string;
  created_at: string;
  revoked_at: string | null;
}

interface Credential {
  username: string;
  description?: string;
  created_at: string;
  revoked_at: string | null;
}

function Secret({ label, value }: { label: string; value: string }) {
  return (
    <div class="secret" role="status">
      <p>
        <strong>{label}</strong> — shown only now; copy it somewhere safe.
      </p>
      <code data-secret>{value}</code> <CopyButton text={value} label={label} />
    </div>
  );
}

/** The API keys page. */
export function Keys() {
  const { api, caller } = useSession();
  const base = `/tenants/${encodeURIComponent(caller.tenant)}`;
  const keys = useLoad(() => api.get<{ data: Key[] }>(`${base}/keys`, { limit: 100 }), []);
  const credentials = useLoad(() => api.get<{ data: Credential[] }>(`${base}/smtp-credentials`, { limit: 100 }), []);
  const [scopes, setScopes] = useState<string[]>(['send', 'read']);
  const [description, setDescription] = useState('');
  const [newKey, setNewKey] = useState<string>();
  const [newCredential, setNewCredential] = useState<{ username: string; password: string }>();
  const [credentialNote, setCredentialNote] = useState('');
  const [error, setError] = useState<unknown>();
  const act = async (work: () => Promise<void>) => {
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(failure);
    }
  };
  const create = (event: Event) => {
    event.preventDefault();
    return act(async () => {
      const made = await api.post<Key & { key: string }>(`${base}/keys`, { scopes, ...(description && { description }) });
      setNewKey(made.key);
      setDescription('');
      keys.reload();
    });
  };
  const createCredential = (event: Event) => {
    event.preventDefault();
    return act(async () => {
      const made = await api.post<Credential & { password: string }>(`${base}/smtp-credentials`, {
        ...(credentialNote && { description: credentialNote }),
      });
      setNewCredential({ username: made.username, password: made.password });
      setCredentialNote('');
      credentials.reload();
    });
  };
  const toggle = (scope: string) => setScopes(scopes.includes(scope) ? scopes.filter((s) => s !== scope) : [...scopes, scope]);
  return (
    <Page title="API keys">
      <form class="inline" onSubmit={create} aria-label="Create an API key">
        <fieldset>
          <legend>Scopes</legend>
          {['send', 'read', 'admin'].map((s) => (
            <label key={s} class="check">
              <input type="checkbox" checked={scopes.includes(s)} onChange={() => toggle(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <label>
          Description
          <input value={description} maxLength={200} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={!scopes.length}>
          Create key
        </button>
      </form>
      {newKey && <Secret label="New API key" value={newKey} />}
      <ErrorNote error={error ?? keys.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">API keys</caption>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Scopes</th>
              <th scope="col">Description</th>
              <th scope="col">Created (UTC)</th>
              <th scope="col">Revoked</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(keys.data?.data ?? []).map((k) => (
              <tr key={k.id} data-key={k.id}>
                <td>
                  <code>{k.prefix}…</code>
                  {k.id === caller.key_id && <span class="muted"> (this key)</span>}
                </td>
                <td>{k.scopes.join(', ')}</td>
                <td>{k.description ?? ''}</td>
                <td>{when(k.created_at)}</td>
                <td>{k.revoked_at ? when(k.revoked_at) : '—'}</td>
                <td>
                  {!k.revoked_at && k.id !== caller.key_id && (
                    <button
                      type="button"
                      class="small secondary"
                      aria-label={`Revoke ${k.prefix}`}
                      onClick={() =>
                        act(async () => {
                          await api.del(`${base}/keys/${encodeURIComponent(k.id)}`);
                          keys.reload();
                        })
                      }
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>SMTP credentials</h2>
      <form class="inline" onSubmit={createCredential} aria-label="Create an SMTP credential">
        <label>
          Description
          <input value={credentialNote} maxLength={200} onInput={(e) => setCredentialNote((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Create SMTP credential</button>
      </form>
      {newCredential && <Secret label={`Password of ${newCredential.username}`} value={newCredential.password} />}
      <ErrorNote error={credentials.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">SMTP credentials</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Description</th>
              <th scope="col">Created (UTC)</th>
              <th scope="col">Revoked</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(credentials.data?.data ?? []).map((c) => (
              <tr key={c.username}>
                <td>
                  <code>{c.username}</code>
                </td>
                <td>{c.description ?? ''}</td>
                <td>{when(c.created_at)}</td>
                <td>{c.revoked_at ? when(c.revoked_at) : '—'}</td>
                <td>
                  {!c.revoked_at && (
                    <button
                      type="button"
                      class="small secondary"
                      aria-label={`Revoke ${c.username}`}
                      onClick={() =>
                        act(async () => {
                          await api.del(`${base}/smtp-credentials/${encodeURIComponent(c.username)}`);
                          credentials.reload();
                        })
                      }
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Page>
  );
}
