/** Lists (contacts, CSV import with progress) and Campaigns (from a template and a list, progress, figures and clicks per link). */
import { useEffect, useState } from 'preact/hooks';
import { can, ErrorNote, Page, percent, Status, useLoad, useRefresh, useSession, when } from '../ui.tsx';

interface List {
  id: string;
  name: string;
  description?: string;
  created_at: string;
}

interface Contact {
  email: string;
  status: string;
  attributes?: Record<string, unknown>;
}

interface ImportJob {
  id: string;
  state: string;
  rows_total: number;
  rows_done: number;
  imported: number;
  failed_count: number;
  error?: string;
}

interface Campaign {
  id: string;
  list_id: string;
  name?: string;
  status: string;
  subject: string;
  template?: { id: string; version: number };
  progress: { contacts: number; queued: number; skipped_unsubscribed: number; skipped_suppressed: number; failed: number };
  created_at: string;
}

interface Stats {
  fanout: { status: string; queued: number };
  sent: number;
  delivered: number;
  bounced: number;
  failed: number;
  rejected: number;
  opened_unique: number;
  clicked_unique: number;
  converted: number;
  unsubscribed: number;
  complained: number;
  rates: Record<string, number | null>;
}

interface LinkClicks {
  url: string;
  clicks: number;
  unique_clicks: number;
}

/** Links shown per campaign: the most clicked. */
const LINKS_SHOWN = 20;

/** The clicks per tracked link of a campaign, most clicked first. */
function LinkTable({ campaign, title }: { campaign: Campaign; title: string }) {
  const { api } = useSession();
  const links = useLoad(
    () =>
      api.get<{ data: LinkClicks[]; total_links: number }>(`/campaigns/${encodeURIComponent(campaign.id)}/links`, { limit: LINKS_SHOWN }),
    [campaign.id],
  );
  useRefresh(links.reload, 2000);
  const data = links.data;
  return (
    <div data-links>
      <ErrorNote error={links.error} />
      {data && !data.data.length && <p class="muted">No clicks on tracked links yet.</p>}
      {data && data.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="caption">
              Clicks per link of {title}
              {data.total_links > data.data.length && ` (the ${data.data.length} most clicked of ${data.total_links})`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Link</th>
                <th scope="col" class="num">
                  Clicks
                </th>
                <th scope="col" class="num">
                  Unique clicks
                </th>
              </tr>
            </thead>
            <tbody>
              {data.data.map((link) => (
                <tr key={link.url}>
                  <td class="url">{link.url}</td>
                  <td class="num">{link.clicks}</td>
                  <td class="num">{link.unique_clicks}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Progress({ value, label }: { value: number; label: string }) {
  const shown = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div class="progress-row">
      <progress max={100} value={shown} aria-label={label} />
      <span data-progress={shown}>{shown} %</span>
    </div>
  );
}

function ListDetail({ list }: { list: List }) {
  const { api, caller } = useSession();
  const contacts = useLoad(() => api.get<{ data: Contact[] }>(`/lists/${encodeURIComponent(list.id)}/contacts`, { limit: 100 }), [list.id]);
  const [csv, setCsv] = useState('email,first_name\n');
  const [job, setJob] = useState<ImportJob>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!job || job.state === 'completed' || job.state === 'failed') {
      if (job) contacts.reload();
      return;
    }
    const timer = setTimeout(async () => {
      try {
        setJob(await api.get<ImportJob>(`/lists/${encodeURIComponent(list.id)}/contacts/imports/${encodeURIComponent(job.id)}`));
      } catch (failure) {
        setError(failure);
      }
    }, 700);
    return () => clearTimeout(timer);
  }, [job]);
  const importCsv = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      setJob(
        await api.call<ImportJob>('POST', `/lists/${encodeURIComponent(list.id)}/contacts/import`, {
          text: csv,
          contentType: 'text/csv',
          headers: { prefer: 'respond-async' },
        }),
      );
    } catch (failure) {
      setError(failure);
    }
  };
  const readFile = async (event: Event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) setCsv(await file.text());
  };
  return (
    <section aria-labelledby="list-title" class="card">
      <h2 id="list-title">{list.name}</h2>
      {can(caller, 'send') && (
        <form onSubmit={importCsv} aria-label="Import contacts">
          <label class="wide">
            CSV file
            <input type="file" accept=".csv,text/csv" onChange={readFile} />
          </label>
          <label class="wide">
            CSV (a header row with an email column; other columns become attributes)
            <textarea rows={5} value={csv} onInput={(e) => setCsv((e.target as HTMLTextAreaElement).value)} />
          </label>
          <button type="submit">Import</button>
        </form>
      )}
      {job && (
        <div role="status">
          <Progress value={job.rows_total ? job.rows_done / job.rows_total : job.state === 'completed' ? 1 : 0} label="Import progress" />
          <p>
            Import {job.state}: {job.imported} imported, {job.failed_count} refused of {job.rows_total} rows. {job.error ?? ''}
          </p>
        </div>
      )}
      <ErrorNote error={error ?? contacts.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Contacts of {list.name}</caption>
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Status</th>
              <th scope="col">Attributes</th>
            </tr>
          </thead>
          <tbody>
            {(contacts.data?.data ?? []).map((c) => (
              <tr key={c.email}>
                <td>{c.email}</td>
                <td>
                  <Status value={c.status} />
                </td>
                <td>{c.attributes ? JSON.stringify(c.attributes) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The Lists page. */
export function Lists() {
  const { api, caller } = useSession();
  const lists = useLoad(() => api.get<{ data: List[] }>('/lists', { limit: 100 }), []);
  const [selected, setSelected] = useState<List>();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const create = async (event: Event) => {
    event.preventDefault();
    try {
      const made = await api.post<List>('/lists', { name });
      setName('');
      setSelected(made);
      lists.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <Page title="Lists">
      {can(caller, 'send') && (
        <form class="inline" onSubmit={create} aria-label="Create a list">
          <label>
            List name
            <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit">Create list</button>
        </form>
      )}
      <ErrorNote error={error ?? lists.error} />
      <ul class="plain">
        {(lists.data?.data ?? []).map((l) => (
          <li key={l.id}>
            <button type="button" class="link" aria-pressed={selected?.id === l.id} onClick={() => setSelected(l)}>
              {l.name}
            </button>{' '}
            <span class="muted">
              <code>{l.id}</code> · created {when(l.created_at)}
            </span>
          </li>
        ))}
      </ul>
      {lists.data && !lists.data.data.length && <p class="muted">No lists yet.</p>}
      {selected && <ListDetail key={selected.id} list={selected} />}
    </Page>
  );
}

function CampaignRow({ campaign }: { campaign: Campaign }) {
  const { api } = useSession();
  const stats = useLoad(() => api.get<Stats>(`/campaigns/${encodeURIComponent(campaign.id)}/stats`), [campaign.id, campaign.status]);
  useRefresh(stats.reload, 2000);
  const s = stats.data;
  const done = s ? s.sent + s.bounced + s.failed + s.rejected : 0;
  const progress = s && s.fanout.status !== 'sending' ? (s.fanout.queued ? done / s.fanout.queued : 1) : 0;
  return (
    <article class="card" data-campaign={campaign.id} aria-labelledby={`c-${campaign.id}`}>
      <h2 id={`c-${campaign.id}`}>
        {campaign.name ?? campaign.subject} <Status value={campaign.status} />
      </h2>
      <p class="muted">
        List <code>{campaign.list_id}</code>
        {campaign.template && ` · template ${campaign.template.id} v${campaign.template.version}`} · created {when(campaign.created_at)}
      </p>
      <Progress value={progress} label={`Sending progress of ${campaign.name ?? campaign.subject}`} />
      <ErrorNote error={stats.error} />
      {s && (
        <dl class="figures">
          {(
            [
              ['Sent', s.sent],
              ['Opened', s.opened_unique],
              ['Clicked', s.clicked_unique],
              ['Converted', s.converted],
              ['Unsubscribed', s.unsubscribed],
              ['Bounced', s.bounced],
            ] as const
          ).map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
          <div>
            <dt>Open rate</dt>
            <dd>{percent(s.rates.open_rate ?? null, 1)}</dd>
          </div>
        </dl>
      )}
      <LinkTable campaign={campaign} title={campaign.name ?? campaign.subject} />
    </article>
  );
}

/** The Campaigns page. */
export function Campaigns() {
  const { api, caller } = useSession();
  const campaigns = useLoad(() => api.get<{ data: Campaign[] }>('/campaigns', { limit: 50 }), []);
  const lists = useLoad(() => api.get<{ data: List[] }>('/lists', { limit: 100 }), []);
  const templates = useLoad(() => api.get<{ data: { id: string; name: string }[] }>('/templates', { limit: 100 }), []);
  useRefresh(campaigns.reload, 2000);
  const [form, setForm] = useState({ name: '', from: '', list_id: '', template_id: '' });
  const [error, setError] = useState<unknown>();
  const create = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      await api.post('/campaigns', form);
      setForm({ ...form, name: '' });
      campaigns.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  const set = (name: keyof typeof form) => (e: Event) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value });
  return (
    <Page title="Campaigns">
      {can(caller, 'send') && (
        <form class="inline" onSubmit={create} aria-label="Create a campaign">
          <label>
            Campaign name
            <input required value={form.name} onInput={set('name')} />
          </label>
          <label>
            From
            <input type="email" required value={form.from} onInput={set('from')} />
          </label>
          <label>
            List
            <select required value={form.list_id} onChange={set('list_id')}>
              <option value="">choose a list</option>
              {(lists.data?.data ?? []).map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Template
            <select required value={form.template_id} onChange={set('template_id')}>
              <option value="">choose a template</option>
              {(templates.data?.data ?? []).map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Send campaign</button>
        </form>
      )}
      <ErrorNote error={error ?? campaigns.error} />
      {campaigns.data && !campaigns.data.data.length && <p class="muted">No campaigns yet.</p>}
      {(campaigns.data?.data ?? []).map((c) => (
        <CampaignRow key={c.id} campaign={c} />
      ))}
    </Page>
  );
}
