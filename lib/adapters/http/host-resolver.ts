/** Host names resolved as a connection would resolve them: the system's resolver (getaddrinfo), every address. */
import { lookup } from 'node:dns/promises';
import type { HostResolver } from '../../ports/webhook-sender.ts';

/** {@link HostResolver} on node:dns `lookup` (hosts file included, as for connections). */
export class SystemHostResolver implements HostResolver {
  async addresses(host: string): Promise<string[]> {
    try {
      return (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
    } catch {
      return [];
    }
  }
}
