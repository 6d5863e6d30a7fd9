/** Click and open tracking in HTML: links rewritten in place, everything else byte for byte. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLinkSigner, linkUrl, type LinkContext } from '../../../lib/domain/links.ts';
import { trackableUrl, trackHtml } from '../../../lib/domain/tracking.ts';

const signer = createLinkSigner(Buffer.alloc(32, 9));
const ctx: LinkContext = {
  baseUrl: 'https://mail.example.com',
  signer,
  tenant: 'acme',
  messageId: '01M8HC6RCH8RQF05HS4EE24JD1',
  recipient: 'ann@example.org',
};
const ids = { t: ctx.tenant, m: ctx.messageId, r: ctx.recipient };
const clickUrl = (u: string) => linkUrl(ctx, { k: 'c', ...ids, u });
const pixel = `<img src="${linkUrl(ctx, { k: 'o', ...ids })}" alt="" width="1" height="1" style="display:none">`;
const both = { clicks: true, opens: true };
const clicksOnly = { clicks: true, opens: false };

/** The URLs of the click links in `html`, decoded from their tokens. */
function clickedUrls(html: string): string[] {
  return [...html.matchAll(/https:\/\/mail\.example\.com\/t\/c\/([\w.-]+)/g)].map((m) => {
    const payload = signer.verify(m[1]!);
    if (payload?.k !== 'c') throw new Error(`not a click token: ${m[1]}`);
    return payload.u;
  });
}

describe('trackHtml: links', () => {
  it('rewrites http(s) links, decoding entities, and keeps the rest of the tag as written', () => {
    const html = '<p>See <a class="btn" HREF="https://shop.example/sale?a=1&amp;b=2#top" target=_blank>the sale</a>.</p>';
    expect(trackHtml(html, ctx, clicksOnly)).toBe(
      `<p>See <a class="btn" HREF="${clickUrl('https://shop.example/sale?a=1&b=2#top')}" target=_blank>the sale</a>.</p>`,
    );
  });

  it('reads unquoted and single-quoted values, and drops surrounding whitespace from the URL', () => {
    const html = `<a href=https://a.example/x>a</a><a href='http://b.example/?q=&quot;x&quot;'>b</a><a href="\n  https://c.example/  ">c</a>`;
    expect(clickedUrls(trackHtml(html, ctx, clicksOnly))).toEqual(['https://a.example/x', 'http://b.example/?q="x"', 'https://c.example/']);
  });

  it('leaves mailto:, tel:, fragments, relative URLs, mailroom links and marked links alone', () => {
    const html = [
      '<a href="mailto:help@shop.example?subject=Hi&amp;body=x">mail</a>',
      '<a href="tel:+15551234">call</a>',
      '<a href="#top">top</a>',
      '<a href="/relative">rel</a>',
      '<a href="javascript:alert(1)">js</a>',
      '<a href="https://mail.example.com/u/abc.def">unsubscribe</a>',
      '<a href="https://mail.example.com/t/c/abc.def">tracked already</a>',
      '<a data-mailroom-notrack href="https://private.example/">private</a>',
      '<a name="anchor">no href</a>',
      '<a href>empty</a>',
    ].join('\n');
    expect(trackHtml(html, ctx, clicksOnly)).toBe(html);
  });

  it('does not take text in comments, style, script, textarea or title for links', () => {
    const html =
      '<!doctype html><html><head><title><a href="https://t.example/"></title><style>a[href="https://s.example/"]{color:red}</style></head>' +
      '<body><!-- <a href="https://c.example/">old</a> --><script>document.write(\'<a href="https://j.example/">\')</script>' +
      '<textarea><a href="https://x.example/"></textarea><a href="https://real.example/">real</a></body></html>';
    const out = trackHtml(html, ctx, clicksOnly);
    expect(clickedUrls(out)).toEqual(['https://real.example/']);
    expect(out).toBe(html.replace('href="https://real.example/"', `href="${clickUrl('https://real.example/')}"`));
  });

  it('rewrites each link once when the parser rebuilds misnested markup, and finds links in tables and templates', () => {
    const html =
      '<b><a href="https://one.example/">x</b>y</a><table><a href="https://two.example/">z</a><tr><td>c</td></tr></table><template><a href="https://three.example/">t</a></template>';
    const out = trackHtml(html, ctx, clicksOnly);
    expect(clickedUrls(out)).toEqual(['https://one.example/', 'https://two.example/', 'https://three.example/']);
    expect(out.replace(/https:\/\/mail\.example\.com\/t\/c\/[\w.-]+/g, 'X')).toBe(html.replace(/https:\/\/\w+\.example\//g, 'X'));
  });

  it('rewrites <area> links, but not links of SVG', () => {
    const html = '<map><area href="https://map.example/" alt="m"></map><svg><a href="https://svg.example/"><text>s</text></a></svg>';
    expect(clickedUrls(trackHtml(html, ctx, clicksOnly))).toEqual(['https://map.example/']);
  });

  it('keeps the first of duplicated href attributes, as browsers do', () => {
    const html = '<a href="https://first.example/" href="https://second.example/">x</a>';
    expect(trackHtml(html, ctx, clicksOnly)).toBe(`<a href="${clickUrl('https://first.example/')}" href="https://second.example/">x</a>`);
  });

  it('keeps offsets right past astral characters and CRLF line ends', () => {
    const html = '<p>😀 café\r\n</p>\r\n<a href="https://shop.example/😀">x</a>\r\n';
    expect(trackHtml(html, ctx, clicksOnly)).toBe(
      html.replace('href="https://shop.example/😀"', `href="${clickUrl('https://shop.example/😀')}"`),
    );
  });

  it('changes nothing with neither option', () => {
    const html = '<a href="https://shop.example/">x</a>';
    expect(trackHtml(html, ctx, { clicks: false, opens: false })).toBe(html);
  });
});

describe('trackHtml: the open pixel', () => {
  it('goes before </body>', () => {
    const html = '<html><body><p>Hi</p></body></html>\n';
    expect(trackHtml(html, ctx, { clicks: false, opens: true })).toBe(`<html><body><p>Hi</p>${pixel}</body></html>\n`);
  });

  it('goes before the </body> that closes the body, not one in a comment or script', () => {
    const html = '<html><body><!-- </body> --><script>"</body>"</script><p>Hi</p></BODY ></html>';
    expect(trackHtml(html, ctx, { clicks: false, opens: true })).toBe(html.replace('</BODY >', `${pixel}</BODY >`));
  });

  it('goes before </html> without </body>, and at the end of a fragment', () => {
    expect(trackHtml('<html><body><p>Hi</p></html>', ctx, { clicks: false, opens: true })).toBe(`<html><body><p>Hi</p>${pixel}</html>`);
    expect(trackHtml('<p>Hi</p>', ctx, { clicks: false, opens: true })).toBe(`<p>Hi</p>${pixel}`);
    expect(trackHtml('', ctx, { clicks: false, opens: true })).toBe(pixel);
  });

  it('is the signed open link of the message and recipient, escaped for its attribute', () => {
    const src = /<img src="([^"]+)"/.exec(trackHtml('<p>x</p>', ctx, both))![1]!;
    expect(signer.verify(src.slice(src.lastIndexOf('/') + 1))).toEqual({ k: 'o', ...ids });
  });
});

describe('trackableUrl', () => {
  it('takes absolute http(s) URLs outside mailroom only', () => {
    expect(trackableUrl(' https://shop.example/ ', ctx.baseUrl)).toBe('https://shop.example/');
    expect(trackableUrl('HTTPS://SHOP.example/A', ctx.baseUrl)).toBe('HTTPS://SHOP.example/A');
    expect(trackableUrl('https://mail.example.com', ctx.baseUrl)).toBeUndefined();
    expect(trackableUrl('https://MAIL.example.com/u/x', ctx.baseUrl)).toBeUndefined();
    expect(trackableUrl('http://mail.example.com/u/x', ctx.baseUrl)).toBe('http://mail.example.com/u/x');
    expect(trackableUrl('https://mail.example.com.evil.example/', ctx.baseUrl)).toBe('https://mail.example.com.evil.example/');
    expect(trackableUrl('https://mail.example.com/app/x', 'https://mail.example.com/links')).toBe('https://mail.example.com/app/x');
    expect(trackableUrl('https://mail.example.com/links/t/c/x', 'https://mail.example.com/links')).toBeUndefined();
    for (const href of ['ftp://x.example/', 'data:text/html,x', '//cdn.example/x', 'https://', ''])
      expect(trackableUrl(href, ctx.baseUrl), href).toBeUndefined();
  });
});

// Property: the output is exactly the input with each trackable link's href replaced by its
// click link (so nothing outside those attributes changes), and each click link verifies back
// to the URL the browser would have followed.
const text = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/</g, ''));
const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

interface Part {
  html: string;
  /** The html expected after tracking. */
  expected: string;
  /** The URL tracked, for tracked links. */
  url?: string;
}

const link: fc.Arbitrary<Part> = fc
  .record({
    url: fc.oneof(
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.constantFrom(
        'mailto:a@b.example?subject=x&body=y',
        'tel:+1555',
        '#frag',
        '/relative?x=1',
        'https://mail.example.com/u/tok.en',
        'https://shop.example/?a=1&copy=2&lt',
      ),
    ),
    name: fc.constantFrom('href', 'HREF', 'Href'),
    quote: fc.constantFrom('"', "'", ''),
    before: fc.constantFrom('', ' class="x"', ' target=_blank', '\n  style="color:red"'),
    after: fc.constantFrom('', ' class="y"', ' data-x=1', ' /'),
    pad: fc.constantFrom('', ' ', '\n\t'),
    notrack: fc.boolean(),
    label: text,
  })
  .map(({ url, name, quote, before, after, pad, notrack, label }) => {
    const value = pad + url + pad;
    const q = /^[^\s"'=<>`]+$/.test(value) ? quote : '"';
    const attribute = `${name}=${q}${escapeAttr(value)}${q}`;
    const open = (attr: string) => `<a${notrack ? ' data-mailroom-notrack' : ''}${before} ${attr}${after}>${label}</a>`;
    const tracked = !notrack && /^https?:\/\//.test(url) && !url.startsWith('https://mail.example.com/');
    return { html: open(attribute), expected: tracked ? open(`${name}="${clickUrl(url)}"`) : open(attribute), ...(tracked && { url }) };
  });

const other: fc.Arbitrary<Part> = fc
  .oneof(
    text,
    fc.constantFrom(
      '<p class="lead">',
      '</p>',
      '<br/>',
      '<img src="https://cdn.example/logo.png" alt="">',
      '<!-- <a href="https://comment.example/">x</a> -->',
      '<style>a[href^="https://"]{color:red}</style>',
      '<!--[if mso]><table><tr><td><![endif]-->',
      '&amp; &copy; &nbsp;',
      '\r\n',
    ),
  )
  .map((html) => ({ html, expected: html }));

describe('trackHtml: properties', () => {
  it('changes nothing outside the rewritten hrefs, and every click link verifies to its original URL', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(link, other), { maxLength: 12 }), fc.boolean(), (parts, document) => {
        const [head, tail] = document ? ['<!doctype html><html><head><meta charset="utf-8"></head><body>', '</body></html>'] : ['', ''];
        const html = head + parts.map((p) => p.html).join('') + tail;
        const out = trackHtml(html, ctx, clicksOnly);
        expect(out).toBe(head + parts.map((p) => p.expected).join('') + tail);
        expect(clickedUrls(out)).toEqual(parts.flatMap((p) => (p.url !== undefined ? [p.url] : [])));
      }),
      { numRuns: 300 },
    );
  });

  it('only adds the pixel when tracking opens', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(link, other), { maxLength: 8 }), (parts) => {
        const html = `<html><body>${parts.map((p) => p.html).join('')}</body></html>`;
        const out = trackHtml(html, ctx, { clicks: false, opens: true });
        expect(out).toBe(html.replace(/<\/body><\/html>$/, `${pixel}</body></html>`));
      }),
      { numRuns: 100 },
    );
  });
});

describe('trackHtml: tricky HTML', () => {
  const tracked = (html: string) => clickedUrls(trackHtml(html, ctx, clicksOnly));

  it('reads attributes in single, double and no quotes, uppercase tags and names, and odd spacing', () => {
    expect(
      tracked(`<A HREF='https://a.example/1'>a</A><AREA\nhref = "https://b.example/2"><a\thref=https://c.example/3?x=1&amp;y=2>c</a>`),
    ).toEqual(['https://a.example/1', 'https://b.example/2', 'https://c.example/3?x=1&y=2']);
    // A quote or `<` inside an unquoted value, `>` inside a quoted one.
    expect(tracked(`<a title="a > b" href=https://d.example/?q='x'>d</a><a href="https://e.example/?a=<b>">e</a>`)).toEqual([
      "https://d.example/?q='x'",
      'https://e.example/?a=<b>',
    ]);
  });

  it('decodes character references in URLs as browsers do', () => {
    expect(tracked('<a href="https://a.example/?a=1&amp;b=2&#38;c=3&#x26;d=4">x</a>')).toEqual(['https://a.example/?a=1&b=2&c=3&d=4']);
    // Without `;`, a legacy name followed by `=` or a letter stays as written in an attribute.
    expect(tracked('<a href="https://a.example/?x=1&copy=2&para;&notit">x</a>')).toEqual(['https://a.example/?x=1&copy=2¶&notit']);
    expect(tracked('<a href="&#104;ttps://a.example/&lt;">x</a>')).toEqual(['https://a.example/<']);
  });

  it('takes no link from comments, bogus comments, doctypes or CDATA outside SVG', () => {
    const html = [
      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x<a href=\'https://d.example/\'>">',
      '<!-- <a href="https://c1.example/"> -- still a comment --!> <a href="https://one.example/">1</a>',
      '<!--> <a href="https://two.example/">2</a> <!---> <a href="https://three.example/">3</a>',
      '<?xml <a href="https://p.example/">?> <![CDATA[ <a href="https://cd.example/"> ]]>',
      '</ <a href="https://e.example/"> >',
    ].join('\n');
    expect(tracked(html)).toEqual(['https://one.example/', 'https://two.example/', 'https://three.example/']);
  });

  it('takes no link from script, style, textarea, title, xmp, iframe, noembed, noframes or after plaintext', () => {
    const inside = (tag: string) =>
      `<${tag}><a href="https://in-${tag}.example/"></${tag.toUpperCase()}\n><a href="https://after-${tag}.example/">x</a>`;
    const tags = ['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes'];
    expect(tracked(tags.map(inside).join(''))).toEqual(tags.map((tag) => `https://after-${tag}.example/`));
    expect(
      tracked('<a href="https://before.example/">b</a><plaintext><a href="https://p.example/"></plaintext><a href="https://q.example/">'),
    ).toEqual(['https://before.example/']);
    // <noscript> is markup when scripts do not run, as in mail.
    expect(tracked('<noscript><a href="https://ns.example/">n</a></noscript>')).toEqual(['https://ns.example/']);
  });

  it('follows script escapes: "</script>" inside <!--<script> does not end the script', () => {
    expect(tracked('<script>var s = "<a href=\'https://s1.example/\'>";</script><a href="https://one.example/">1</a>')).toEqual([
      'https://one.example/',
    ]);
    expect(
      tracked('<script><!--<script></script><a href="https://hidden.example/">--></script><a href="https://two.example/">2</a>'),
    ).toEqual(['https://two.example/']);
    expect(tracked('<script><!-- x --></script><a href="https://three.example/">3</a>')).toEqual(['https://three.example/']);
  });

  it('follows SVG and MathML: their links stay, HTML inside foreignObject or mtext and after them is tracked', () => {
    const html =
      '<svg><a href="https://svg.example/"/><![CDATA[<a href="https://cdata.example/">]]><foreignObject><a href="https://fo.example/">f</a></foreignObject><a href="https://svg2.example/"/></svg>' +
      '<math><mtext><a href="https://mtext.example/">m</a></mtext><a href="https://math.example/"/></math>' +
      '<svg><p><a href="https://breakout.example/">p</a></p></svg><svg/><a href="https://after.example/">a</a>';
    expect(tracked(html)).toEqual(['https://fo.example/', 'https://mtext.example/', 'https://breakout.example/', 'https://after.example/']);
  });

  it('leaves a tag the document ends inside alone', () => {
    for (const html of [
      '<a href="https://a.example/"',
      '<a href="https://a.example/',
      '<a href=https://a.example/',
      '<a href="https://a.example/" ',
    ])
      expect(trackHtml(html, ctx, clicksOnly)).toBe(html);
  });

  it('puts the pixel before the last </body> outside templates, comments and scripts', () => {
    const opens = { clicks: false, opens: true };
    const html = '<body><template></body></template><script>"</body>"</script><p>x</p></body>\n<!-- footer --></body></html>';
    expect(trackHtml(html, ctx, opens)).toBe(html.replace('</body></html>', `${pixel}</body></html>`));
    expect(trackHtml('<p>x</p></BODY>', ctx, opens)).toBe(`<p>x</p>${pixel}</BODY>`);
  });
});
