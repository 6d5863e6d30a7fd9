/**
 * Click and open tracking in a message's HTML: links become mailroom's signed click links,
 * and a 1x1 open pixel goes at the end of the body.
 *
 * The HTML is parsed with parse5 (the WHATWG HTML parsing algorithm, as browsers and mail
 * clients based on them read it), only to learn where each link's `href` attribute is in the
 * source: the new attribute is spliced in at exactly that place, so every other byte of the
 * HTML stays as it was (comments, conditional comments for Outlook, whitespace, entity
 * spelling, attribute order and quoting). Raw text is never mistaken for markup: an `<a href>`
 * written inside `<style>`, `<script>`, `<textarea>`, `<title>` or a comment is not a link.
 *
 * What is rewritten: the `href` of every `<a>` and `<area>` element whose URL is absolute
 * `http:` or `https:` (the attribute's value as the browser reads it: `&amp;` is `&`,
 * surrounding whitespace is dropped). What is left alone: `mailto:`, `tel:` and other
 * schemes, fragments (`#top`) and relative URLs, links to mailroom's own public URL (the
 * unsubscribe link, a link tracked already), links in SVG or MathML, and any element with a
 * `data-mailroom-notrack` attribute.
 */
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { httpUrl, linkUrl, type LinkContext } from './links.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** What to track. */
export interface TrackingOptions {
  clicks: boolean;
  opens: boolean;
}

/** Attribute that keeps a link as it is. */
export const NOTRACK_ATTRIBUTE = 'data-mailroom-notrack';

const HTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';
const LINK_ELEMENTS = new Set(['a', 'area']);
/** ASCII whitespace, which the URL parser strips from both ends of an attribute's value. */
const EDGE_WHITESPACE = /^[\t\n\f\r ]+|[\t\n\f\r ]+$/g;

/** Escapes a value for a double-quoted attribute. */
function attributeValue(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

/** Every element of the document, template contents included. */
function* elements(root: Node): Generator<Element> {
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (isElement(node)) yield node;
    if ('content' in node && node.content) stack.push(node.content as Node);
    if ('childNodes' in node) for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
  }
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
  const document = parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: false });
  const splices: Splice[] = [];
  const link = { t: ctx.tenant, m: ctx.messageId, r: ctx.recipient };

  let body: Element | undefined;
  let root: Element | undefined;
  const seen = new Set<number>();
  for (const element of elements(document)) {
    if (element.namespaceURI !== HTML_NAMESPACE) continue;
    if (element.tagName === 'html' && !root) root = element;
    if (element.tagName === 'body' && !body) body = element;
    if (!options.clicks || !LINK_ELEMENTS.has(element.tagName)) continue;
    if (element.attrs.some((a) => a.name === NOTRACK_ATTRIBUTE)) continue;
    const href = element.attrs.find((a) => a.name === 'href');
    const where = element.sourceCodeLocation?.attrs?.href;
    // The parser may clone a link (misnested formatting elements): each source attribute once.
    if (!href || !where || seen.has(where.startOffset)) continue;
    seen.add(where.startOffset);
    const url = trackableUrl(href.value, ctx.baseUrl);
    if (url === undefined) continue;
    const name = html.slice(where.startOffset, where.startOffset + 'href'.length);
    const tracked = linkUrl(ctx, { k: 'c', ...link, u: url });
    splices.push({ start: where.startOffset, end: where.endOffset, text: `${name}="${attributeValue(tracked)}"` });
  }

  if (options.opens) {
    const pixel = `<img src="${attributeValue(linkUrl(ctx, { k: 'o', ...link }))}" alt="" width="1" height="1" style="display:none">`;
    // Before `</body>` when the parser saw one that closes an explicit <body>; before
    // `</html>` when only that is there; else at the very end (the parser puts it in the body).
    const at = body?.sourceCodeLocation?.endTag?.startOffset ?? root?.sourceCodeLocation?.endTag?.startOffset ?? html.length;
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
