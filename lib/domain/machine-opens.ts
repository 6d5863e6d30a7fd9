/**
 * Telling opens and clicks that a machine made from the recipient's own. Reports count both
 * (`opened` and `opened_machine`, `clicked` and `clicked_machine`), so that rates can leave the
 * machines out.
 *
 * The signals, in the order they are checked:
 *
 * 1. Image proxies that fetch on the reader's behalf when the reader opens the message are
 *    human: Gmail's (`GoogleImageProxy`, via ggpht.com) and Yahoo's (`YahooMailProxy`).
 * 2. `privacy_proxy`: Apple Mail Privacy Protection fetches every image of every message as it
 *    arrives, opened or not, through Apple's relays, with the user agent `Mozilla/5.0` and
 *    nothing else (no platform, no engine). No real browser or mail client sends that bare
 *    string. (The relays' egress addresses are those of iCloud Private Relay, shared with
 *    ordinary browsing, so addresses are not used.)
 * 3. `scanner`, by user agent: no user agent at all (every mail client and browser sends
 *    one), security gateways that fetch links and images to check them (Barracuda, Mimecast,
 *    Proofpoint, Symantec/MessageLabs, Trend Micro, Cisco IronPort, Forcepoint, FireEye,
 *    Sophos, Zscaler…), HTTP libraries and tools (python-requests, curl, Wget,
 *    Go-http-client, Java, Apache-HttpClient, okhttp, axios, node-fetch, libwww-perl…),
 *    headless browsers, link previewers and crawlers. (Outlook for Windows loads images with
 *    `ms-office` in its user agent when a person opens the message: that one is human.)
 * 4. `scanner`, by timing: a hit within SCANNER_WINDOW_SECONDS of the message being sent to
 *    the recipient. Gateways such as Microsoft Defender Safe Links fetch with an ordinary
 *    browser's user agent, but they do so while the message is being delivered, before any
 *    person could have read it.
 *
 * Anything else is taken as the recipient (undefined).
 */
import type { EventDetail } from './events.ts';

/** What made a hit that the recipient did not make. */
export type MachineKind = NonNullable<EventDetail['machine']>;

/** A hit within this many seconds of the send is a scanner's. */
export const SCANNER_WINDOW_SECONDS = 10;

/** What is known of one open or click. */
export interface HitSignals {
  /** The User-Agent header, as sent. */
  userAgent?: string;
  /** When the hit came. */
  at: Date;
  /** When the message was sent to this recipient (the relay accepted it), when known. */
  sentAt?: Date;
}

/** Proxies that fetch images when the person opens the message (human opens). */
const HUMAN_PROXIES = /GoogleImageProxy|ggpht\.com|YahooMailProxy/i;

/** Apple Mail Privacy Protection's bare user agent. */
const APPLE_PRIVACY_PROXY = /^Mozilla\/5\.0$/;

/** Security gateways, HTTP libraries, headless browsers, previewers and crawlers. */
const SCANNERS = new RegExp(
  [
    // Mail security gateways and link scanners.
    'barracuda',
    'mimecast',
    'proofpoint',
    'messagelabs',
    'symantec',
    'trend ?micro',
    'ironport',
    'forcepoint',
    'fireeye',
    'sophos',
    'zscaler',
    'bitdefender',
    'kaspersky',
    'mcafee',
    'check ?point',
    'safelinks',
    'urldefense',
    'microsoft office existence discovery',
    // HTTP libraries and command-line tools.
    'python-requests',
    'python-urllib',
    'python-httpx',
    'aiohttp',
    'curl/',
    'wget/',
    'go-http-client',
    '^java/',
    'apache-httpclient',
    'okhttp',
    'axios/',
    'node-fetch',
    'undici',
    'libwww-perl',
    'guzzlehttp',
    'ruby',
    'winhttp',
    'powershell',
    // Headless browsers, previewers, crawlers.
    'headlesschrome',
    'phantomjs',
    'puppeteer',
    'playwright',
    'bingpreview',
    'linkcheck',
    '[a-z]bot[-/;) ]',
    '\\b(?:bot|crawler|spider|scanner)\\b',
  ].join('|'),
  'i',
);

/** `privacy_proxy`, `scanner`, or undefined for an open or click the recipient made. */
export function classifyHit(hit: HitSignals): MachineKind | undefined {
  const userAgent = hit.userAgent?.trim() ?? '';
  if (HUMAN_PROXIES.test(userAgent)) return undefined;
  if (APPLE_PRIVACY_PROXY.test(userAgent)) return 'privacy_proxy';
  if (userAgent === '' || SCANNERS.test(userAgent)) return 'scanner';
  if (hit.sentAt && hit.at.getTime() - hit.sentAt.getTime() < SCANNER_WINDOW_SECONDS * 1000) return 'scanner';
  return undefined;
}
