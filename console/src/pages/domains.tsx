/** Domains: add one, the DNS records to publish with copy buttons, each record's status, "Check again". */
import { useState } from 'preact/hooks';
import { CopyButton, ErrorNote, Page, Status, useLoad, useSession, when } from '../ui.tsx';

interface DnsRecord {
  type: string;
  name: string;
  value: string;
  priority?: number;
  purpose: string;
  required: boolean;
  status?: string;
  found?: string[];
  error?: string;
}

interface Domain {
  name: string;
  mode: string;
  status: string;
  verified: boolean;
  verified_at: string | null;
  records: DnsRecord[];
  checked_at: string | null;
  created_at: string;
  guidance: string[];
}

function DomainCard({ domain, onChange }: { domain: Domain; onChange: (d: Domain) => void }) {
  const { api } = useSession();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onChange(await api.get<Domain>(`/domains/${encodeURIComponent(domain.name)}`));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <article class="card" data-domain={domain.name} aria-labelledby={`domain-${domain.name}`}>
      <header class="page-head">
        <h2 id={`domain-${domain.name}`}>
          {domain.name} <Status value={domain.verified ? 'verified' : domain.status} />
        </h2>
        <button type="button" onClick={check} disabled={busy}>
          {busy ? 'Checking…' : 'Check again'}
        </button>
      </header>
      <p class="muted">
        {domain.checked_at ? `Last checked ${when(domain.checked_at)} UTC.` : 'Not checked yet.'}{' '}
        {domain.verified_at && `Verified ${when(domain.verified_at)} UTC.`}
      </p>
      {domain.guidance.length > 0 && (
        <ul>
          {domain.guidance.map((g, i) => (
            <li key={i}>{g}</li>
          ))}
        </ul>
      )}
      <ErrorNote error={error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">DNS records to publish for {domain.name}</caption>
          <thead>
            <tr>
              <th scope="col">Purpose</th>
              <th scope="col">Type</th>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {domain.records.map((r) => (
              <tr key={`${r.type}-${r.name}-${r.purpose}`}>
                <td>
                  {r.purpose}
                  {!r.required && <span class="muted"> (optional)</span>}
                </td>
                <td>{r.type}</td>
                <td>
                  <code class="record">{r.name}</code> <CopyButton text={r.name} label={`${r.purpose} record name`} />
                </td>
                <td>
                  <code class="record">{r.priority !== undefined ? `${r.priority} ${r.value}` : r.value}</code>{' '}
                  <CopyButton text={r.value} label={`${r.purpose} record value`} />
                </td>
                <td>
                  {r.status ? <Status value={r.status} /> : <span class="muted">not checked</span>}
                  {r.error && <div class="muted">{r.error}</div>}
                  {r.status === 'mismatch' && r.found?.length ? <div class="muted">found: {r.found.join(', ')}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </article>
  );
}

/** The Domains page. */
export function Domains() {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [changed, setChanged] = useState<Record<string, Domain>>({});
  const list = useLoad(() => api.get<{ data: Domain[] }>('/domains', { limit: 100 }), []);
  const add = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const domain = await api.post<Domain>('/domains', { name: name.trim() });
      setChanged({ ...changed, [domain.name]: domain });
      setName('');
      list.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const domains = (list.data?.data ?? []).map((d) => changed[d.name] ?? d);
  for (const d of Object.values(changed)) if (!domains.some((x) => x.name === d.name)) domains.push(d);
  return (
    <Page title="Domains">
      <form class="inline" onSubmit={add} aria-label="Add a domain">
        <label>
          Domain to send from
          <input required value={name} placeholder="shop.example" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Add domain</button>
      </form>
      <ErrorNote error={error ?? list.error} />
      {list.data && !domains.length && <p class="muted">No sending domains yet.</p>}
      {domains.map((d) => (
        <DomainCard key={d.name} domain={d} onChange={(next) => setChanged({ ...changed, [next.name]: next })} />
      ))}
    </Page>
  );
}
