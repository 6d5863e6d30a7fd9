/**
 * Public suffixes (`co.uk`, `github.io`), which no tenant may register as a sending domain. Kept
 * apart from sending-domain.ts because it carries the Public Suffix List (tldts): only domain
 * registration reads it, so the functions that merely send from domains never load it.
 */
import { parse as parseDomain } from 'tldts';
import { UnprocessableError } from './errors.ts';

/**
 * 422 `public_suffix`: the name is a public suffix (`co.uk`, `github.io`), under which anyone may
 * register a domain; a claim on it would block every domain below it. Private suffixes of the
 * list count too.
 */
export function checkNotPublicSuffix(name: string): void {
  const parsed = parseDomain(name, { allowPrivateDomains: true });
  if (parsed.domain === null || parsed.publicSuffix === name) {
    throw new UnprocessableError(
      'public_suffix',
      `"${name}" is a public suffix, under which anyone may register a domain: register your own domain under it instead.`,
    );
  }
}
