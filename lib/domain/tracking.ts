/**
 * Click and open tracking in a message's HTML: links become mailroom's signed click links,
 * and a 1x1 open pixel goes at the end of the body.
 *
 * The HTML is read with the WHATWG tokenization rules (lib/domain/html-tags.ts, as browsers
 * and mail clients based on them read it), only to learn where each link's `href` attribute
 * is in the source: the new attribute is spliced in at exactly that place, so every other
 * byte of the HTML stays as it was (comments, conditional comments for Outlook, whitespace,
 * entity spelling, attribute order and quoting). Raw text is never mistaken for markup: an
 * `<a href>` written inside `<style>`, `<script>`, `<textarea>`, `<title>` or a comment is
 * not a link. Character references in a URL are decoded as browsers do (`entities`).
 *
 * What is rewritten: the `href` of every `<a>` and `<area>` element whose URL is absolute
 * `http:` or `https:` (the attribute's value as the browser reads it: `&amp;` is `&`,
 * surrounding whitespace is dropped). What is left alone: `mailto:`, `tel:` and other
 * schemes, fragments (`#top`) and relative URLs, links to mailroom's own public URL (the
 * unsubscribe link, a link tracked already), links in SVG or MathML, any element with a
 * `data-mailroom-notrack` attribute, and a URL so long that its signed click link would be
 * longer than the click route accepts.
 */
import { decodeHTMLAttribute } from 'entities/decode';
import { htmlTags } from './html-tags.ts';
import { followableLinkUrl, httpUrl, linkUrl, type LinkContext } from './links.ts';

/** What to track. */
export interface TrackingOptions {
  clicks: boolean;
  opens: boolean;
}

/** Attribute that keeps a link as it is. */
export const NOTRACK_ATTRIBUTE = 'data-mailroom-notrack';

const LINK_ELEMENTS = new Set(['a', 'area']);
/** ASCII whitespace, which the URL parser strips from both ends of an attribute's value. */
const EDGE_WHITESPACE = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;

/** An attribute's value as the browser reads it: line ends normalised, NUL replaced, character references decoded. */
function decodedValue(raw: string): string {
  return decodeHTMLAttribute(raw.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD'));
}

/** Escapes a value for a double-quoted attribute. */
function attributeValue(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The URL a link should be tracked with, or undefined when it stays as it is. */
export function trackableUrl(href: string, baseUrl: string): string | undefined {
  const url = href.replace(EDGE_WHITESPACE, '');
  const parsed = httpUrl(url);
  if (!parsed) return undefined;
  // Links to mailroom itself (the unsubscribe page, an already tracked link) stay as they are.
  const base = new URL(baseUrl);
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  if (parsed.origin === base.origin && (parsed.pathname === base.pathname || parsed.pathname.startsWith(basePath))) return undefined;
  return url;
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * The HTML with its links rewritten to click links (`clicks`) and an open pixel added
 * (`opens`), for the message and recipient of `ctx`. With neither, the HTML as it was.
 */
export function trackHtml(html: string, ctx: LinkContext, options: TrackingOptions): string {
  if (!options.clicks && !options.opens) return html;
  const splices: Splice[] = [];
  const link = { t: ctx.tenant, m: ctx.messageId, r: ctx.recipient };

  // The open pixel goes before the last `</body>`, else the last `</html>`, else at the very end.
  let bodyEnd: number | undefined;
  let htmlEnd: number | undefined;
  for (const tag of htmlTags(html)) {
    if (tag.kind === 'end') {
      if (tag.inTemplate) continue;
      if (tag.name === 'body') bodyEnd = tag.start;
      else if (tag.name === 'html') htmlEnd = tag.start;
      continue;
    }
    if (!options.clicks || tag.namespace !== 'html' || !LINK_ELEMENTS.has(tag.name)) continue;
    if (tag.attributes.some((a) => a.name === NOTRACK_ATTRIBUTE)) continue;
    const href = tag.attributes.find((a) => a.name === 'href');
    if (!href) continue;
    const url = trackableUrl(decodedValue(href.raw), ctx.baseUrl);
    if (url === undefined) continue;
    // A URL so long that its click token would be refused stays as it is, rather than broken.
    const tracked = followableLinkUrl(ctx, { k: 'c', ...link, u: url });
    if (tracked === undefined) continue;
    const name = html.slice(href.start, href.start + 'href'.length);
    splices.push({ start: href.start, end: href.end, text: `${name}="${attributeValue(tracked)}"` });
  }

  if (options.opens) {
    const pixel = `<img src="${attributeValue(linkUrl(ctx, { k: 'o', ...link }))}" alt="" width="1" height="1" style="display:none">`;
    const at = bodyEnd ?? htmlEnd ?? html.length;
    splices.push({ start: at, end: at, text: pixel });
  }

  let out = '';
  let from = 0;
  for (const splice of splices.sort((a, b) => a.start - b.start)) {
    out += html.slice(from, splice.start) + splice.text;
    from = splice.end;
  }
  return out + html.slice(from);
}
