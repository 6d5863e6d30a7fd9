/**
 * The API's view of mailroom's public links: the signer (its key read once, when first
 * needed) and the public base URL. Tracked sends need both; conversions need the signer.
 */
import { ServiceUnavailableError } from '../domain/errors.ts';
import { createLinkSigner, type LinkSigner } from '../domain/links.ts';
import type { ApiRequest } from '../http/request.ts';
import type { AcceptDeps } from '../use-cases/accept-message.ts';

export interface PublicLinks {
  /** The link signer; the key is read on the first call, and again after a failed read. */
  signer(): Promise<LinkSigner>;
  /**
   * MAILROOM_PUBLIC_URL, read when asked (local mode knows its port only once listening);
   * undefined to use the host the request came to (the API's own URL).
   */
  baseUrl(): string | undefined;
}

/** Public links whose key `loadKey` reads (once it succeeds). */
export function publicLinks(loadKey: () => Promise<Buffer>, baseUrl: () => string | undefined): PublicLinks {
  let signer: Promise<LinkSigner> | undefined;
  return {
    signer() {
      signer ??= loadKey()
        .then(createLinkSigner)
        .catch((error: unknown) => {
          signer = undefined;
          throw error;
        });
      return signer;
    },
    baseUrl,
  };
}

/** A signer for when the key could not be read: checks nothing, and signing asks for a retry. */
function unavailableSigner(cause: unknown): LinkSigner {
  return {
    sign() {
      throw new ServiceUnavailableError('mailroom could not read the key that signs its links; retry later.', { cause });
    },
    verify: () => undefined,
  };
}

/**
 * The signer, or a 503 when its key cannot be read now.
 * @throws ServiceUnavailableError
 */
export async function linkSigner(links: PublicLinks): Promise<LinkSigner> {
  try {
    return await links.signer();
  } catch (error) {
    throw new ServiceUnavailableError('mailroom could not read the key that signs its links; retry later.', { cause: error });
  }
}

/**
 * `deps` with the links of this request (`links` of AcceptDeps), when public links are
 * configured. A key that cannot be read now fails only the sends that ask for tracking (503).
 */
export async function withPublicLinks<D extends AcceptDeps & { publicLinks?: PublicLinks }>(deps: D, request: ApiRequest): Promise<D> {
  if (!deps.publicLinks) return deps;
  let signer: LinkSigner;
  try {
    signer = await deps.publicLinks.signer();
  } catch (error) {
    deps.log.error('reading the link-signing key failed', { error: String(error) });
    signer = unavailableSigner(error);
  }
  const baseUrl = (deps.publicLinks.baseUrl() ?? `https://${request.headers.host ?? 'localhost'}`).replace(/\/+$/, '');
  return { ...deps, links: { signer, baseUrl } };
}
