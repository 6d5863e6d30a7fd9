/** Overview: sending by day, rates against the providers' thresholds, the breaker and domain problems. */
import { useMemo, useState } from 'preact/hooks';
import { can, dayOffset, ErrorNote, Page, percent, useLoad, useSession } from '../ui.tsx';
import { DayChart, type Series } from './chart.tsx';
import type { ReportRow } from './reports.tsx';

/** The levels at which SES reviews an account and Gmail and Yahoo start refusing mail. */
const THRESHOLDS = {
  bounce: { limit: 0.05, note: 'SES reviews an account at 5 % hard bounces (mailroom pauses above it)' },
  complaint: { limit: 0.001, note: 'SES reviews at 0.1 % complaints; Gmail and Yahoo refuse mail above 0.3 %' },
};

interface Tenant {
  id: string;
  sending: { status: 'active' } | { status: 'paused'; reason: string; paused_at: string; by: string };
}

interface Domain {
  name: string;
  status: string;
  verified: boolean;
  guidance: string[];
}

const RANGES = [7, 30, 90];

function Rate({ label, value, limit, note }: { label: string; value: number | null; limit: number; note: string }) {
  const over = value !== null && value > limit;
  return (
    <div class={`stat ${over ? 'stat-bad' : ''}`}>
      <div class="stat-label">{label}</div>
      <div class="stat-value">{percent(value)}</div>
      <div class="muted small-text">
        {over ? 'Above' : 'Below'} {percent(limit, 1)}. {note}.
      </div>
    </div>
  );
}

function Breaker() {
  const { api, caller } = useSession();
  const tenant = useLoad(() => api.get<Tenant>(`/tenants/${encodeURIComponent(caller.tenant)}`), []);
  const [error, setError] = useState<unknown>();
  if (!can(caller, 'admin')) return <p class="muted">The reputation breaker's state is shown to admin keys.</p>;
  if (tenant.error) return <ErrorNote error={tenant.error} />;
  const sending = tenant.data?.sending;
  if (!sending) return <p class="muted">Loading…</p>;
  const resume = async () => {
    try {
      await api.post(`/tenants/${encodeURIComponent(caller.tenant)}/resume`);
      tenant.reload();
    } catch (failure) {
      setError(failure);
    }
  };
  return sending.status === 'active' ? (
    <p>
      <span class="badge badge-sent">sending</span> The reputation breaker has not tripped.
    </p>
  ) : (
    <div>
      <p>
        <span class="badge badge-bounced">paused</span> Sending is paused by the {sending.by} since {sending.paused_at}: {sending.reason}
      </p>
      {caller.operator ? (
        <button type="button" onClick={resume}>
          Resume sending
        </button>
      ) : (
        <p class="muted">Only the operator may resume sending.</p>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

function DomainProblems() {
  const { api, caller } = useSession();
  const domains = useLoad(
    () => (can(caller, 'admin') ? api.get<{ data: Domain[] }>('/domains', { limit: 100 }) : Promise.resolve(null)),
    [],
  );
  if (!can(caller, 'admin')) return <p class="muted">Domain verification is shown to admin keys.</p>;
  if (domains.error) return <ErrorNote error={domains.error} />;
  const problems = (domains.data?.data ?? []).filter((d) => !d.verified);
  if (!domains.data) return <p class="muted">Loading…</p>;
  if (!domains.data.data.length) return <p class="muted">No sending domains yet.</p>;
  if (!problems.length) return <p>Every sending domain is verified.</p>;
  return (
    <ul>
      {problems.map((d) => (
        <li key={d.name}>
          <a href="#/domains">{d.name}</a>: {d.status}
          {d.guidance[0] ? ` — ${d.guidance[0]}` : ''}
        </li>
      ))}
    </ul>
  );
}

/** The Overview page. */
export function Overview() {
  const { api } = useSession();
  const [days, setDays] = useState(30);
  const report = useLoad(
    () => api.get<{ rows: ReportRow[]; totals: ReportRow }>('/reports', { from: dayOffset(days - 1), to: dayOffset(0), group_by: 'day' }),
    [days],
  );
  const rows = report.data?.rows ?? [];
  const dayList = useMemo(() => rows.map((r) => r.day ?? ''), [report.data]);
  const volume: Series[] = useMemo(
    () => [
      { label: 'sent', values: rows.map((r) => r.sent), colour: '#1f6feb' },
      { label: 'delivered', values: rows.map((r) => r.delivered), colour: '#2da44e' },
      { label: 'bounced', values: rows.map((r) => r.bounced), colour: '#cf222e' },
      { label: 'complained', values: rows.map((r) => r.complained), colour: '#9a6700' },
    ],
    [report.data],
  );
  const engagement: Series[] = useMemo(
    () => [
      { label: 'opened', values: rows.map((r) => r.opened), colour: '#8250df' },
      { label: 'clicked', values: rows.map((r) => r.clicked), colour: '#0a7d8c' },
    ],
    [report.data],
  );
  const totals = report.data?.totals;
  return (
    <Page
      title="Overview"
      actions={
        <label>
          Range{' '}
          <select value={days} onChange={(e) => setDays(Number((e.target as HTMLSelectElement).value))}>
            {RANGES.map((n) => (
              <option key={n} value={n}>
                last {n} days
              </option>
            ))}
          </select>
        </label>
      }
    >
      <ErrorNote error={report.error} />
      {totals && (
        <div class="stats">
          <div class="stat">
            <div class="stat-label">Sent</div>
            <div class="stat-value">{totals.sent}</div>
          </div>
          <div class="stat">
            <div class="stat-label">Delivered</div>
            <div class="stat-value">{totals.delivered}</div>
          </div>
          <Rate label="Bounce rate" value={totals.rates.bounce_rate} limit={THRESHOLDS.bounce.limit} note={THRESHOLDS.bounce.note} />
          <Rate
            label="Complaint rate"
            value={totals.rates.complaint_rate}
            limit={THRESHOLDS.complaint.limit}
            note={THRESHOLDS.complaint.note}
          />
        </div>
      )}
      {report.data && (
        <div class="charts">
          <DayChart days={dayList} series={volume} title="Sent, delivered, bounced and complained, by day (UTC)" />
          <DayChart days={dayList} series={engagement} title="Opened and clicked, by day (UTC)" />
        </div>
      )}
      <h2>Reputation breaker</h2>
      <Breaker />
      <h2>Domain verification</h2>
      <DomainProblems />
    </Page>
  );
}
