/**
 * A sender's html, shown in a sandboxed frame. `sandbox=""` gives the frame an opaque origin
 * with no scripts, forms, popups or top navigation. A `srcdoc` document inherits the console's
 * Content-Security-Policy, which already refuses every other origin (remote images, fonts,
 * styles) but allows the console's own (`'self'`): a same-origin image such as a tracking
 * pixel would load. The policy put first in the document takes that away too, so the preview
 * fetches nothing; policies only add up, so inline styles stay refused by the console's.
 */

/** The preview's own policy, added to the one it inherits: nothing but inline data. */
export const PREVIEW_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'";

/** The html with the preview's policy first: the parser puts it in the head, before anything it governs. */
export function previewDocument(html: string): string {
  return `<meta http-equiv="Content-Security-Policy" content="${PREVIEW_CSP}">${html}`;
}

/** A sandboxed frame showing `html`, fetching nothing. */
export function HtmlPreview({ html, title }: { html: string; title: string }) {
  return <iframe title={title} sandbox="" referrerpolicy="no-referrer" srcdoc={previewDocument(html)} />;
}
