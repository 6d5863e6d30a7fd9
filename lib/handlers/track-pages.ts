/**
 * The small pages of the public link routes: the unsubscribe page with its buttons, its
 * confirmations, and "not found". Self-contained (one inline stylesheet, allowed by its hash
 * in the Content-Security-Policy; no script, image, font or anything else from anywhere),
 * every piece of text escaped.
 */
import { createHash } from 'node:crypto';
import type { UnsubscribeScope, UnsubscribeTarget } from '../use-cases/track.ts';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#f6f6f6}' +
  'main{max-width:32rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #ddd;border-radius:8px}' +
  'h1{font-size:1.4rem;margin-top:0}form{margin:1rem 0}' +
  'button{font:inherit;padding:.6rem 1rem;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer;width:100%}' +
  'button.secondary{background:#fff;color:#0b5cad}.muted{color:#666;font-size:.9rem}';

/**
 * Sent with every page: nothing loads from anywhere, no script runs, forms post back to
 * mailroom only, and no other site may frame the page.
 */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** Headers of every page. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAGE_CSP,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex, nofollow',
};

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>` +
    `<body><main>${body}</main></body></html>`
  );
}

/** A form that posts back to the page's own URL. */
function button(action: 'unsubscribe' | 'resubscribe', scope: UnsubscribeScope, label: string, secondary = false): string {
  return (
    `<form method="post"><input type="hidden" name="action" value="${action}"><input type="hidden" name="scope" value="${scope}">` +
    `<button type="submit"${secondary ? ' class="secondary"' : ''}>${escapeHtml(label)}</button></form>`
  );
}

function listWords(target: UnsubscribeTarget): string {
  return target.listName !== undefined ? `the list <strong>${escapeHtml(target.listName)}</strong>` : 'this mailing list';
}

function scopeWords(target: UnsubscribeTarget, scope: UnsubscribeScope): string {
  return scope === 'list' && target.listId !== undefined ? listWords(target) : 'all marketing mail from this sender';
}

/**
 * The page a GET shows: who, which list, and the buttons (a GET itself changes nothing). An
 * address that left already is told so, with the way back (and after a list, the way out of
 * all marketing mail).
 */
export function unsubscribePage(target: UnsubscribeTarget): string {
  if (target.unsubscribed !== undefined) return alreadyUnsubscribedPage(target, target.unsubscribed);
  const email = `<strong>${escapeHtml(target.email)}</strong>`;
  const buttons =
    target.listId !== undefined
      ? button('unsubscribe', 'list', 'Unsubscribe from this list') +
        button('unsubscribe', 'marketing', 'Unsubscribe from all marketing mail', true)
      : button('unsubscribe', 'marketing', 'Unsubscribe from all marketing mail');
  const what = target.listId !== undefined ? `from ${listWords(target)}` : 'from all marketing mail from this sender';
  return page('Unsubscribe', `<h1>Unsubscribe</h1><p>Stop sending mail to ${email} ${what}?</p>${buttons}`);
}

function alreadyUnsubscribedPage(target: UnsubscribeTarget, scope: UnsubscribeScope): string {
  const wider = scope === 'list' ? button('unsubscribe', 'marketing', 'Unsubscribe from all marketing mail') : '';
  return page(
    'Unsubscribed',
    `<h1>You are already unsubscribed</h1><p><strong>${escapeHtml(target.email)}</strong> is already unsubscribed from ${scopeWords(target, scope)}.</p>` +
      `${wider}<p class="muted">Changed your mind?</p>${button('resubscribe', scope, 'Subscribe again', true)}`,
  );
}

/** After an unsubscribe: what was done, and the way back. */
export function unsubscribedPage(target: UnsubscribeTarget, scope: UnsubscribeScope): string {
  return page(
    'Unsubscribed',
    `<h1>You are unsubscribed</h1><p><strong>${escapeHtml(target.email)}</strong> will no longer get ${scopeWords(target, scope)}.</p>` +
      `<p class="muted">Unsubscribed by mistake?</p>${button('resubscribe', scope, 'Subscribe again', true)}`,
  );
}

/** After a re-subscription: what was done, and the way out again. */
export function resubscribedPage(target: UnsubscribeTarget, scope: UnsubscribeScope): string {
  return page(
    'Subscribed again',
    `<h1>You are subscribed again</h1><p><strong>${escapeHtml(target.email)}</strong> will get ${scopeWords(target, scope)} again.</p>` +
      button('unsubscribe', scope, 'Unsubscribe', true),
  );
}

/** A link that is not genuine (or not one of mailroom's). */
export function notFoundPage(): string {
  return page('Link not found', '<h1>Link not found</h1><p>This link is not valid. Please check that it was copied completely.</p>');
}

/** A request the page cannot act on. */
export function badRequestPage(): string {
  return page('Bad request', '<h1>Bad request</h1><p>This request cannot be handled.</p>');
}

/** A fault inside mailroom. */
export function errorPage(): string {
  return page('Something went wrong', '<h1>Something went wrong</h1><p>Please try again in a moment.</p>');
}
