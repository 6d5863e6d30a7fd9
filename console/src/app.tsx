/** The console's frame: sign-in, navigation by hash (`#/activity`), sign-out. */
import { useEffect, useState } from 'preact/hooks';
import { Api, ApiError, explain, forgetKey, keepKey, storedKey, type Caller } from './api.ts';
import { can, SessionContext, type Session } from './ui.tsx';
import { Overview } from './pages/overview.tsx';
import { Activity } from './pages/activity.tsx';
import { MessagePage } from './pages/message.tsx';
import { Suppressions } from './pages/suppressions.tsx';
import { Domains } from './pages/domains.tsx';
import { Keys } from './pages/keys.tsx';
import { Templates } from './pages/templates.tsx';
import { Campaigns, Lists } from './pages/campaigns.tsx';
import { Webhooks } from './pages/webhooks.tsx';
import { Reports } from './pages/reports.tsx';

interface NavItem {
  path: string;
  label: string;
  /** The scope a key needs to see the page. */
  scope: 'read' | 'admin';
}

const NAV: NavItem[] = [
  { path: 'overview', label: 'Overview', scope: 'read' },
  { path: 'activity', label: 'Activity', scope: 'read' },
  { path: 'suppressions', label: 'Suppressions', scope: 'read' },
  { path: 'domains', label: 'Domains', scope: 'admin' },
  { path: 'templates', label: 'Templates', scope: 'read' },
  { path: 'lists', label: 'Lists', scope: 'read' },
  { path: 'campaigns', label: 'Campaigns', scope: 'read' },
  { path: 'webhooks', label: 'Webhooks', scope: 'read' },
  { path: 'keys', label: 'API keys', scope: 'admin' },
  { path: 'reports', label: 'Reports', scope: 'read' },
];

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash.replace(/^#\/?/, '');
}

function SignIn({ onSignedIn, note }: { onSignedIn: (session: Session) => void; note?: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(note);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    const api = new Api(key.trim());
    try {
      const caller = await api.get<Caller>('/key');
      keepKey(api.key);
      onSignedIn({ api, caller });
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401 ? 'That key was refused: it is unknown or revoked.' : explain(failure),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>mailroom console</h1>
      <form onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={key}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
        />
        <p class="muted">Kept only in this tab (session storage) until you sign out or close it.</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

function route(path: string, session: Session) {
  const [page, ...rest] = path.split('/');
  const id = rest.map(decodeURIComponent).join('/');
  switch (page) {
    case 'activity':
      return <Activity />;
    case 'messages':
      return <MessagePage id={id} />;
    case 'suppressions':
      return <Suppressions />;
    case 'domains':
      return <Domains />;
    case 'templates':
      return <Templates />;
    case 'lists':
      return <Lists />;
    case 'campaigns':
      return <Campaigns />;
    case 'webhooks':
      return <Webhooks />;
    case 'keys':
      return <Keys />;
    case 'reports':
      return <Reports />;
    default:
      return can(session.caller, 'read') ? <Overview /> : <Activity />;
  }
}

/** The console. */
export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => storedKey() !== null);
  const [note, setNote] = useState<string | undefined>();
  const [menuOpen, setMenuOpen] = useState(false);
  const path = useHash();

  useEffect(() => {
    const key = storedKey();
    if (!key) return;
    const api = new Api(key);
    api.get<Caller>('/key').then(
      (caller) => {
        setSession({ api, caller });
        setRestoring(false);
      },
      () => {
        forgetKey();
        setRestoring(false);
        setNote('Your key is no longer accepted: sign in again.');
      },
    );
  }, []);
  useEffect(() => setMenuOpen(false), [path]);

  if (restoring) return <p class="muted">Loading…</p>;
  if (!session) return <SignIn onSignedIn={setSession} {...(note && { note })} />;

  const signOut = () => {
    forgetKey();
    setSession(null);
    setNote(undefined);
    location.hash = '';
  };
  const current = path.split('/')[0] || 'overview';
  const active = current === 'messages' ? 'activity' : current;
  const items = NAV.filter((item) => can(session.caller, item.scope));
  return (
    <SessionContext.Provider value={session}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">mailroom</span>
        <button type="button" class="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <nav id="nav" aria-label="Console" class={menuOpen ? 'open' : ''}>
          <ul>
            {items.map((item) => (
              <li key={item.path}>
                <a href={`#/${item.path}`} aria-current={active === item.path ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who" title={`scopes: ${session.caller.scopes.join(', ')}`}>
          {session.caller.tenant} · {session.caller.scopes.join(', ')}
        </span>
        <button type="button" class="secondary" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main">{route(path, session)}</main>
    </SessionContext.Provider>
  );
}
