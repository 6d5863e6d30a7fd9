/**
 * The tokenizer behind link tracking against parse5, a complete WHATWG parser (tree builder
 * included): on documents made of awkward pieces, both find the same `<a>`/`<area>` elements
 * in the HTML namespace, with the same `href` at the same place and the same value. Where
 * htmlTags simplifies (HTML elements are counted, not nested, so misnested HTML around SVG or
 * MathML may be read otherwise) the documents stay out of the generator, as noted below.
 */
import fc from 'fast-check';
import { decodeHTMLAttribute } from 'entities/decode';
import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { describe, expect, it } from 'vitest';
import { htmlTags } from '../../../lib/domain/html-tags.ts';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** `start:end=value` of each HTML link's href, as parse5 builds the document (each source attribute once). */
function parse5Links(html: string): string[] {
  const found = new Map<number, string>();
  const stack: Node[] = [parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: false })];
  while (stack.length) {
    const node = stack.pop()!;
    if ('tagName' in node) {
      const element = node as Element;
      const where = element.sourceCodeLocation?.attrs?.href;
      const href = element.attrs.find((a) => a.name === 'href');
      if (
        element.namespaceURI === 'http://www.w3.org/1999/xhtml' &&
        (element.tagName === 'a' || element.tagName === 'area') &&
        where &&
        href
      ) {
        found.set(where.startOffset, `${where.startOffset}:${where.endOffset}=${href.value}`);
      }
    }
    if ('content' in node && node.content) stack.push(node.content as Node);
    if ('childNodes' in node) stack.push(...node.childNodes);
  }
  return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, link]) => link);
}

function tokenizerLinks(html: string): string[] {
  const links: string[] = [];
  for (const tag of htmlTags(html)) {
    if (tag.kind !== 'start' || tag.namespace !== 'html' || (tag.name !== 'a' && tag.name !== 'area')) continue;
    const href = tag.attributes.find((a) => a.name === 'href');
    if (href) links.push(`${href.start}:${href.end}=${decodeHTMLAttribute(href.raw.replace(/\r\n?/g, '\n'))}`);
  }
  return links;
}

const LINKS = [
  '<a href="https://a.example/?x=1&amp;y=2">',
  "<A HREF='https://b.example/&copy=1&lt'>",
  '<a href=https://c.example/&#x26;z>',
  '<area href="https://d.example/" alt=x>',
  '<a title="x>y" href="https://e.example/">',
  '<a href = "https://f.example/" href="https://dup.example/">',
  '<a\r\nhref="https://g.example/\r\n">',
  '<a href="https://h.example/"/>',
];
/** A link in SVG or MathML with its end tag, where it has one. */
const closed = (a: string) => (a.startsWith('<area') || a.endsWith('/>') ? a : `${a}x</a>`);
/** A link in HTML with its end tag (`/>` does not end an HTML element). */
const closedHtml = (a: string) => (a.startsWith('<area') ? a : `${a}x</a>`);
const TEXT = ['text', ' ', '\n', '<', '>', '"', "'", '=', '-', '/', '&amp;', '</a>', '<span>', '</span>', '<b>', '</b>'];
const MARKUP = [
  '<p>',
  '</p>',
  '<div>',
  '</div>',
  '<table>',
  '<tr>',
  '<td>',
  '</table>',
  '<br/>',
  '<img src=x>',
  '<font color=red>',
  '<font>',
  '<!--',
  '-->',
  '--!>',
  '<!-->',
  '<!---->',
  '<!doctype html>',
  '<?x>',
  '</ x>',
  '<![CDATA[',
  ']]>',
  '<html>',
  '<body>',
  '</body>',
  '</html>',
  '<script>',
  '</script>',
  '<!--<script>',
  '<style>',
  '</style>',
  '<title>',
  '</title>',
  '<textarea>',
  '</textarea>',
  '<xmp>',
  '</xmp>',
  '<iframe>',
  '</iframe>',
  '<noembed>',
  '</noembed>',
  '<noscript>',
  '</noscript>',
  '<template>',
  '</template>',
];

/** Well-nested SVG and MathML, with HTML in their integration points; MathML sometimes ended early by HTML. */
const nested = fc.letrec<{ svg: string; math: string; inside: string; html: string }>((tie) => ({
  inside: fc.oneof(
    fc.constantFrom(
      ...LINKS.map(closed),
      'text',
      '<g/>',
      '<rect/>',
      '<![CDATA[<a href="https://cdata.example/">]]>',
      '<title>t</title>',
      '<style>s</style>',
    ),
    fc.tuple(fc.constantFrom('<foreignObject>', '<desc>'), tie('html')).map(([open, html]) => `${open}${html}</${open.slice(1)}`),
    tie('svg'),
    fc.array(tie('inside'), { maxLength: 3 }).map((inside) => `<g>${inside.join('')}</g>`),
  ),
  // Well-nested HTML in integration points (misnested HTML there is where the tree builder's
  // implied end tags, which htmlTags does not follow, decide the namespace of what comes next).
  html: fc
    .array(
      fc.oneof(
        fc.constantFrom('text', '&amp;', '<br>', '<img src=x>'),
        fc.constantFrom(...LINKS.map(closedHtml)),
        fc.constantFrom('<span>x</span>', '<b>x</b>'),
      ),
      { maxLength: 4 },
    )
    .map((parts) => parts.join('')),
  // (`<svg>` inside MathML is a MathML element, and its `foreignObject` no integration point: left out.)
  svg: fc.array(tie('inside'), { maxLength: 4 }).map((inside) => `<svg>${inside.join('')}</svg>`),
  math: fc
    .tuple(
      fc.array(
        fc.oneof(
          fc.constantFrom(...LINKS.map(closed), '<mrow>', '</mrow>'),
          fc.tuple(fc.constantFrom('mtext', 'mi', 'mo'), tie('html')).map(([name, html]) => `<${name}>${html}</${name}>`),
        ),
        { maxLength: 4 },
      ),
      fc.constantFrom('</math>', '<br>', '</br>', '<p>', '</p>'),
    )
    .map(([inside, end]) => `<math>${inside.join('')}${end}`),
}));
const foreign = fc.oneof(nested.svg, nested.math);

// HTML soup, and HTML soup with SVG and MathML in it. Links left open before SVG or MathML
// are left out: the tree builder's adoption agency then decides where the next elements go,
// which htmlTags does not follow.
const html = fc.constantFrom(...LINKS, ...TEXT, ...MARKUP);
const soup = fc.oneof(
  fc.array(html, { maxLength: 25 }),
  fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...LINKS.map(closedHtml), ...TEXT.filter((t) => t !== '</a>'), ...MARKUP) },
      { weight: 1, arbitrary: foreign },
    ),
    { maxLength: 25 },
  ),
);

describe('htmlTags agrees with parse5 on links', () => {
  it('finds the same links in the same places', () => {
    fc.assert(
      fc.property(soup, (pieces) => {
        const html = pieces.join('');
        expect(tokenizerLinks(html), html).toEqual(parse5Links(html));
      }),
      { numRuns: 2000 },
    );
  });
});
