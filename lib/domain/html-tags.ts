/**
 * The tags of an HTML document, in source order, with where each is and where its attributes
 * are: a tokenizer following the WHATWG HTML tokenization rules, so that text is never
 * mistaken for markup. Comments (`<!-- -->`, `<!x>`, `<?x>`, `</ x>`), doctypes, CDATA
 * sections in SVG and MathML, and the text of `<script>` (with its `<!--`/`<script>` escapes),
 * `<style>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`, `<title>`, `<textarea>` and
 * `<plaintext>` yield no tags.
 *
 * It also follows, as the tree builder tells the tokenizer, which namespace each element goes
 * in: SVG and MathML elements from `<svg>` and `<math>` on, HTML again in their integration
 * points (`foreignObject`, `desc`, `title`, `mi`, `mo`, `mn`, `ms`, `mtext`, `annotation-xml`)
 * and after an HTML element that ends foreign content (`<p>`, `<div>`, `<table>`…); and
 * whether a tag is inside an HTML `<template>`. The tree itself is not built: a misnested
 * document may give an element more than one parent or none, which no caller here needs.
 *
 * Offsets are UTF-16 indices into the source string as given (CR LF line ends and astral
 * characters included), so text can be spliced in at exactly those places.
 */

/** The namespace an element goes in. */
export type Namespace = 'html' | 'svg' | 'math';

/** An attribute of a tag: the first of its name (a browser drops later duplicates). */
export interface TagAttribute {
  /** ASCII-lowercased name. */
  name: string;
  /** Offset of its name in the source. */
  start: number;
  /** Offset just past its value (the closing quote included), or past its name when it has none. */
  end: number;
  /** The value as written, between the quotes, character references not yet decoded. */
  raw: string;
}

/** A start or end tag. */
export interface Tag {
  kind: 'start' | 'end';
  /** ASCII-lowercased name. */
  name: string;
  /** Offset of its `<`. */
  start: number;
  /** Offset just past its `>`. */
  end: number;
  selfClosing: boolean;
  attributes: TagAttribute[];
  /** The namespace of the element a start tag opens (for an end tag, the one it is read in). */
  namespace: Namespace;
  /** Whether it is inside an HTML `<template>`. */
  inTemplate: boolean;
}

const RCDATA_OR_RAWTEXT = new Set(['title', 'textarea', 'style', 'xmp', 'iframe', 'noembed', 'noframes']);
/** HTML start tags that end foreign content (the WHATWG list; `font` only with color, face or size). */
const ENDS_FOREIGN = new Set(
  'b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var'.split(
    ' ',
  ),
);
/** HTML elements that have no end tag. */
const VOID = new Set('area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr'.split(' '));
/** HTML elements that one of the same name closes. */
const SINGLE = new Set(['a', 'nobr', 'p', 'li', 'dd', 'dt', 'option']);
const SVG_HTML_POINTS = new Set(['foreignobject', 'desc', 'title']);
const MATH_TEXT_POINTS = new Set(['mi', 'mo', 'mn', 'ms', 'mtext']);

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\f' || c === '\r';
const isAlpha = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
/** ASCII lowercase only, as the tokenizer does (`toLowerCase` would map e.g. the Kelvin sign to `k`). */
const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());

/** Past the next `>` from `from`, or the end: a bogus comment, a doctype, a `<!x>` or `<?x>`. */
function pastGreaterThan(html: string, from: number): number {
  const at = html.indexOf('>', from);
  return at < 0 ? html.length : at + 1;
}

/** Past a comment whose `<!--` ends at `from`. */
function pastComment(html: string, from: number): number {
  if (html[from] === '>') return from + 1; // <!-->
  if (html.startsWith('->', from)) return from + 2; // <!--->
  const close = html.indexOf('-->', from);
  const bang = html.indexOf('--!>', from);
  if (close < 0 && bang < 0) return html.length;
  if (bang < 0 || (close >= 0 && close < bang)) return close + 3;
  return bang + 4;
}

/** Past a markup declaration starting with `<!` at `at`. */
function pastDeclaration(html: string, at: number, foreign: boolean): number {
  if (html.startsWith('<!--', at)) return pastComment(html, at + 4);
  if (foreign && html.startsWith('<![CDATA[', at)) {
    const close = html.indexOf(']]>', at + 9);
    return close < 0 ? html.length : close + 3;
  }
  return pastGreaterThan(html, at + 2);
}

const endTagPatterns = new Map<string, RegExp>();
/** Offset of the `</name` that ends raw text or RCDATA from `from`, or the end of the source. */
function rawTextEnd(html: string, from: number, name: string): number {
  let pattern = endTagPatterns.get(name);
  if (!pattern) endTagPatterns.set(name, (pattern = new RegExp(`</${name}[\\t\\n\\f\\r />]`, 'gi')));
  pattern.lastIndex = from;
  return pattern.exec(html)?.index ?? html.length;
}

const SCRIPT_CLOSE = /<\/script[\t\n\f\r />]/iy;
const SCRIPT_OPEN = /<script[\t\n\f\r />]/iy;
const at = (pattern: RegExp, html: string, index: number) => ((pattern.lastIndex = index), pattern.test(html));

/**
 * Offset of the `</script` that ends a script's text from `from`, or the end of the source:
 * script data with its escaped (`<!--`) and double-escaped (`<!--<script>`) states, where
 * `</script>` ends the double escape instead of the script.
 */
function scriptEnd(html: string, from: number): number {
  let mode: 'data' | 'escaped' | 'double' = 'data';
  /** Where the current mode's text begins: dashes before it do not make a `-->`. */
  let since = from;
  for (let p = from; p < html.length; p++) {
    const c = html[p];
    if (c === '>' && mode !== 'data' && p - 2 >= since && html[p - 1] === '-' && html[p - 2] === '-') {
      mode = 'data';
      since = p + 1;
    } else if (c === '<') {
      if (mode === 'data') {
        if (at(SCRIPT_CLOSE, html, p)) return p;
        if (html.startsWith('<!--', p)) {
          mode = 'escaped';
          since = p + 2; // `<!-->` is `<!--` then `-->`: its dashes count
          p += 3;
        }
      } else if (mode === 'escaped') {
        if (at(SCRIPT_CLOSE, html, p)) return p;
        if (at(SCRIPT_OPEN, html, p)) {
          mode = 'double';
          p += 7;
          since = p + 1;
        }
      } else if (at(SCRIPT_CLOSE, html, p)) {
        mode = 'escaped';
        p += 8;
        since = p + 1;
      }
    }
  }
  return html.length;
}

/** Reads a tag whose name begins at `nameAt`; undefined when the source ends inside it (a browser drops it). */
function readTag(html: string, lt: number, nameAt: number, kind: Tag['kind']): Omit<Tag, 'namespace' | 'inTemplate'> | undefined {
  const n = html.length;
  let p = nameAt;
  while (p < n && !isSpace(html[p]) && html[p] !== '/' && html[p] !== '>') p++;
  const name = asciiLower(html.slice(nameAt, p));
  const attributes: TagAttribute[] = [];
  const seen = new Set<string>();
  let selfClosing = false;
  for (;;) {
    while (p < n && isSpace(html[p])) p++;
    if (p >= n) return undefined;
    if (html[p] === '>') return { kind, name, start: lt, end: p + 1, selfClosing, attributes };
    if (html[p] === '/') {
      p++;
      if (html[p] === '>') {
        selfClosing = true;
        return { kind, name, start: lt, end: p + 1, selfClosing, attributes };
      }
      continue;
    }
    // An attribute name runs to whitespace, `/`, `>` or `=` (a first `=` belongs to it).
    const start = p++;
    while (p < n && !isSpace(html[p]) && html[p] !== '/' && html[p] !== '>' && html[p] !== '=') p++;
    const attributeName = asciiLower(html.slice(start, p));
    let end = p;
    let raw = '';
    let q = p;
    while (q < n && isSpace(html[q])) q++;
    if (html[q] === '=') {
      q++;
      while (q < n && isSpace(html[q])) q++;
      if (q >= n) return undefined;
      const quote = html[q];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, q + 1);
        if (close < 0) return undefined;
        raw = html.slice(q + 1, close);
        end = close + 1;
      } else if (quote !== '>') {
        let e = q;
        while (e < n && !isSpace(html[e]) && html[e] !== '>') e++;
        if (e >= n) return undefined;
        raw = html.slice(q, e);
        end = e;
      } else {
        end = q;
      }
      p = end;
    } else {
      p = q;
    }
    if (!seen.has(attributeName)) {
      seen.add(attributeName);
      attributes.push({ name: attributeName, start, end, raw });
    }
  }
}

/** Whether an element of `namespace` named `name` is a point where HTML elements begin again. */
function integrationPoint(name: string, namespace: Namespace, attributes: TagAttribute[]): boolean {
  if (namespace === 'svg') return SVG_HTML_POINTS.has(name);
  if (namespace !== 'math') return false;
  if (MATH_TEXT_POINTS.has(name)) return true;
  if (name !== 'annotation-xml') return false;
  const encoding = attributes.find((a) => a.name === 'encoding')?.raw.toLowerCase();
  return encoding === 'text/html' || encoding === 'application/xhtml+xml';
}

/** An open SVG or MathML element, or an HTML context (the document, an integration point) with the HTML elements open in it. */
interface Frame {
  namespace: Namespace;
  name: string;
  /** For HTML contexts: how many HTML elements of each name are open, roughly (implied end tags are not followed). */
  open?: Map<string, number>;
}

const hasOpen = (frame: Frame) => [...(frame.open?.values() ?? [])].some((count) => count > 0);

/**
 * Every tag of `html`, in source order.
 *
 * Foreign content is followed element by element: SVG and MathML elements are kept on a
 * stack, with an HTML context for the document and for each integration point. End tags
 * close elements as the tree builder does: the nearest open foreign element of that name, or
 * the HTML element of that name they are inside (then the foreign elements in it), all of
 * them for `</p>` and `</br>`; an integration point's end tag is ignored while an HTML element
 * it holds is open, and so is an HTML element's end tag behind an integration point. HTML elements are only counted by name, without the tree builder's implied
 * end tags, which is all the namespace decisions need.
 */
export function* htmlTags(html: string): Generator<Tag> {
  const n = html.length;
  const stack: Frame[] = [{ namespace: 'html', name: '', open: new Map() }];
  const innermost = () => stack[stack.length - 1]!;
  const current = () => innermost().namespace;
  const leaveForeign = () => {
    while (current() !== 'html') stack.pop();
  };
  let templates = 0;
  /** Closes an open HTML element of that name in an HTML context, if there is one. */
  const closeHtml = (frame: Frame, name: string) => {
    const count = frame.open?.get(name) ?? 0;
    if (count === 0) return false;
    frame.open!.set(name, count - 1);
    if (name === 'template') templates--;
    return true;
  };
  /** An end tag read by the rules of foreign content. */
  const foreignEnd = (name: string) => {
    for (let k = stack.length - 1; k >= 0; k--) {
      const frame = stack[k]!;
      if (frame.namespace === 'html' && (k === 0 || hasOpen(frame))) {
        // An HTML element is reached: the end tag closes one of that name, unless an
        // integration point or annotation-xml above it (special elements) stops it.
        const stopped = stack.slice(k + 1).some((above) => above.namespace === 'html' || above.name === 'annotation-xml');
        if (!stopped && closeHtml(frame, name)) stack.length = k + 1;
        return;
      }
      if (frame.name === name) {
        stack.length = k;
        return;
      }
    }
  };
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) return;
    const next = html[lt + 1];
    if (next === '!') {
      i = pastDeclaration(html, lt, current() !== 'html');
      continue;
    }
    if (next === '?') {
      i = pastGreaterThan(html, lt + 2);
      continue;
    }
    if (next === '/') {
      const after = html[lt + 2];
      if (after === undefined) return;
      if (after === '>') i = lt + 3;
      else if (!isAlpha(after)) i = pastGreaterThan(html, lt + 2);
      else {
        const tag = readTag(html, lt, lt + 2, 'end');
        if (!tag) return;
        const namespace = current();
        if (namespace === 'html') {
          // At an integration point with nothing open in it, the point's own end tag is read as foreign.
          if (stack.length > 1 && !hasOpen(innermost())) foreignEnd(tag.name);
          else closeHtml(innermost(), tag.name);
        } else if (tag.name === 'p' || tag.name === 'br') {
          // They end foreign content, as the start tags in ENDS_FOREIGN do.
          leaveForeign();
          closeHtml(innermost(), tag.name);
        } else foreignEnd(tag.name);
        yield { ...tag, namespace, inTemplate: templates > 0 };
        i = tag.end;
      }
      continue;
    }
    if (!isAlpha(next)) {
      i = lt + 1;
      continue;
    }
    const tag = readTag(html, lt, lt + 1, 'start');
    if (!tag) return;
    i = tag.end;
    let namespace = current();
    if (namespace !== 'html') {
      const font = tag.name === 'font' && tag.attributes.some((a) => a.name === 'color' || a.name === 'face' || a.name === 'size');
      if (ENDS_FOREIGN.has(tag.name) || font) {
        leaveForeign();
        namespace = 'html';
      }
    } else if (tag.name === 'svg' || tag.name === 'math') {
      namespace = tag.name;
    }
    if (namespace !== 'html') {
      if (!tag.selfClosing)
        stack.push(
          integrationPoint(tag.name, namespace, tag.attributes)
            ? { namespace: 'html', name: tag.name, open: new Map() }
            : { namespace, name: tag.name },
        );
      yield { ...tag, namespace, inTemplate: templates > 0 };
      continue;
    }
    yield { ...tag, namespace, inTemplate: templates > 0 };
    const open = innermost().open!;
    // A second <a>, <p>, <li>… closes the first one (the tree builder's implied end tags).
    if (!VOID.has(tag.name)) open.set(tag.name, SINGLE.has(tag.name) ? 1 : (open.get(tag.name) ?? 0) + 1);
    if (tag.name === 'template') templates++;
    else if (tag.name === 'script') i = scriptEnd(html, i);
    else if (tag.name === 'plaintext') return;
    else if (RCDATA_OR_RAWTEXT.has(tag.name)) i = rawTextEnd(html, i, tag.name);
  }
}
