/** Reports: by day, tag or domain over a range, and CSV exports with their progress and download link. */
import { useEffect, useState } from 'preact/hooks';
import { dayOffset, ErrorNote, Page, percent, Status, useLoad, useSession } from '../ui.tsx';

/** One row of `GET /v1/reports`. */
export interface ReportRow {
  day?: string;
  tag?: string;
  domain?: string;
  requested: number;
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  rates: { delivery_rate: number | null; bounce_rate: number | null; complaint_rate: number | null; open_rate: number | null };
}

interface ExportJob {
  id: string;
  type: string;
  status: string;
  row_count?: number;
  download_url?: string;
}

function Exports({ from, to }: { from: string; to: string }) {
  const { api } = useSession();
  const [type, setType] = useState('sends');
  const [job, setJob] = useState<ExportJob>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!job || job.status === 'done' || job.status === 'failed') return;
    const timer = setTimeout(() => api.get<ExportJob>(`/exports/${encodeURIComponent(job.id)}`).then(setJob, setError), 700);
    return () => clearTimeout(timer);
  }, [job]);
  const start = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      const queued = await api.post<{ id: string }>('/exports', { type, from, to });
      setJob({ id: queued.id, type, status: 'queued' });
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section aria-labelledby="exports">
      <h2 id="exports">Export to CSV</h2>
      <form class="inline" onSubmit={start}>
        <label>
          Export
          <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
            <option value="sends">every message sent</option>
            <option value="errors">delivery errors</option>
          </select>
        </label>
        <button type="submit">Start export</button>
      </form>
      <ErrorNote error={error} />
      {job && (
        <p role="status">
          Export <Status value={job.status} />
          {job.status === 'done' && job.download_url && (
            <>
              {' '}
              {job.row_count} rows: <a href={job.download_url}>download the CSV</a>
            </>
          )}
        </p>
      )}
    </section>
  );
}

/** The Reports page. */
export function Reports() {
  const { api } = useSession();
  const [from, setFrom] = useState(dayOffset(29));
  const [to, setTo] = useState(dayOffset(0));
  const [group, setGroup] = useState('day');
  const report = useLoad(() => api.get<{ rows: ReportRow[] }>('/reports', { from, to, group_by: group }), [from, to, group]);
  const rows = (report.data?.rows ?? []).filter((r) => group !== 'day' || r.requested > 0 || r.sent > 0);
  return (
    <Page title="Reports">
      <form class="inline" aria-label="Report range" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={from} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onChange={(e) => setTo((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          By
          <select value={group} onChange={(e) => setGroup((e.target as HTMLSelectElement).value)}>
            <option value="day">day</option>
            <option value="tag">tag</option>
            <option value="domain">sending domain</option>
          </select>
        </label>
      </form>
      <p class="muted">
        By list: see <a href="#/lists">Lists</a> and <a href="#/campaigns">Campaigns</a>.
      </p>
      <ErrorNote error={report.error} />
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Report by {group}</caption>
          <thead>
            <tr>
              <th scope="col">{group === 'day' ? 'Day' : group === 'tag' ? 'Tag' : 'Domain'}</th>
              <th scope="col">Sent</th>
              <th scope="col">Delivered</th>
              <th scope="col">Bounced</th>
              <th scope="col">Complained</th>
              <th scope="col">Opened</th>
              <th scope="col">Clicked</th>
              <th scope="col">Bounce rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.day ?? r.tag ?? r.domain}>
                <td>{r.day ?? r.tag ?? r.domain}</td>
                <td>{r.sent}</td>
                <td>{r.delivered}</td>
                <td>{r.bounced}</td>
                <td>{r.complained}</td>
                <td>{r.opened}</td>
                <td>{r.clicked}</td>
                <td>{percent(r.rates.bounce_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {report.data && !rows.length && <p class="muted">Nothing sent in this range.</p>}
      <Exports from={from} to={to} />
    </Page>
  );
}
