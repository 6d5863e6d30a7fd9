/** The local mailbox page: what the capture relay received, listed and shown one by one. */
import type { CapturedMail } from './capture-smtp.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Sent with every mailbox page: the captured HTML runs no script and loads nothing remote. */
export const MAILBOX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'";

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #ddd}tr:hover{background:#f6f6f6}a{color:#0b5cad}
pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}iframe{width:100%;height:60vh;border:1px solid #ddd}
.muted{color:#777}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The list of captured messages, newest first. */
export function renderMailbox(mail: CapturedMail[]): string {
  const rows = [...mail]
    .reverse()
    .map(
      (m) =>
        `<tr><td class="muted">${escapeHtml(m.receivedAt.replace('T', ' ').slice(0, 19))}</td><td>${escapeHtml(m.from)}</td>` +
        `<td>${escapeHtml(m.envelopeTo.join(', '))}</td><td><a href="/mailbox/${encodeURIComponent(m.id)}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`,
    )
    .join('');
  const table = mail.length
    ? `<table><thead><tr><th>Received</th><th>From</th><th>Envelope to</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="muted">Nothing yet. Send a message through the API and reload.</p>';
  return page(
    'mailroom mailbox',
    `<h1>mailroom mailbox</h1><p class="muted">${mail.length} message(s) captured by the local relay.</p>${table}`,
  );
}

/** One captured message: envelope, headers, text and HTML parts, and the raw source. */
export function renderMail(mail: CapturedMail): string {
  const headers = mail.headers.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('');
  const html = mail.html ? `<h2>HTML</h2><iframe sandbox="" srcdoc="${escapeHtml(mail.html)}"></iframe>` : '';
  const text = mail.text ? `<h2>Text</h2><pre>${escapeHtml(mail.text)}</pre>` : '';
  return page(
    mail.subject,
    `<p><a href="/mailbox">← mailbox</a></p><h1>${escapeHtml(mail.subject || '(no subject)')}</h1>` +
      `<dl><dt>Envelope from</dt><dd>${escapeHtml(mail.envelopeFrom)}</dd><dt>Envelope to</dt><dd>${escapeHtml(mail.envelopeTo.join(', '))}</dd></dl>` +
      `${html}${text}<h2>Headers</h2><dl>${headers}</dl><h2>Source</h2><pre>${escapeHtml(mail.raw)}</pre>`,
  );
}
