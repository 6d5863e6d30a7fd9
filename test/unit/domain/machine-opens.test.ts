/** Telling machine opens and clicks (privacy proxies, security scanners) from people's, with real user agents. */
import { describe, expect, it } from 'vitest';
import { classifyHit, SCANNER_WINDOW_SECONDS } from '../../../lib/domain/machine-opens.ts';

const sentAt = new Date('2026-11-28T15:00:00.000Z');
const later = new Date(sentAt.getTime() + 3600_000);
const classify = (userAgent: string | undefined, at = later) => classifyHit({ ...(userAgent !== undefined && { userAgent }), at, sentAt });

const PEOPLE = {
  'Chrome on Windows': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Edge on Windows':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0',
  'Safari on macOS':
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Apple Mail on macOS, without Mail Privacy Protection':
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)',
  'Mail on iPhone, without Mail Privacy Protection':
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Samsung Internet':
    'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
  'Firefox on Android': 'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0',
  Thunderbird: 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.6.0',
  'Outlook for Windows':
    'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; Microsoft Outlook 16.0.5095; ms-office; MSOffice 16)',
  'Gmail image proxy': 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  'Yahoo Mail image proxy': 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
};

// Libraries, tools, crawlers and previewers as they identify themselves; security gateways'
// exact strings vary by product and version, so those entries carry the vendor's name in the
// forms the patterns look for.
const SCANNERS = {
  'python-requests': 'python-requests/2.31.0',
  curl: 'curl/8.4.0',
  Go: 'Go-http-client/1.1',
  Wget: 'Wget/1.21.4',
  Java: 'Java/1.8.0_381',
  'Apache HttpClient': 'Apache-HttpClient/4.5.13 (Java/17.0.8)',
  OkHttp: 'okhttp/4.12.0',
  axios: 'axios/1.6.2',
  'node-fetch': 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'libwww-perl': 'libwww-perl/6.72',
  'Headless Chrome': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.71 Safari/537.36',
  'Bing crawler': 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Slack link expander': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'Microsoft Office link check': 'Microsoft Office Existence Discovery',
  Barracuda: 'Barracuda Sentinel (EE)',
  Mimecast: 'Mozilla/5.0 (compatible; Mimecast URL Protect)',
  Proofpoint: 'Mozilla/5.0 (compatible; Proofpoint URL Defense)',
  'Trend Micro': 'Mozilla/5.0 (compatible; TrendMicro InterScan)',
  empty: '',
  blank: '   ',
};

describe('classifyHit', () => {
  it.each(Object.entries(PEOPLE))('takes %s for the recipient', (_name, userAgent) => {
    expect(classify(userAgent)).toBeUndefined();
  });

  it.each(Object.entries(SCANNERS))('takes %s for a scanner', (_name, userAgent) => {
    expect(classify(userAgent)).toBe('scanner');
  });

  it('takes the bare Mozilla/5.0 of Apple Mail Privacy Protection for a privacy proxy, even right after the send', () => {
    expect(classify('Mozilla/5.0')).toBe('privacy_proxy');
    expect(classify('Mozilla/5.0', new Date(sentAt.getTime() + 2000))).toBe('privacy_proxy');
    expect(classify('Mozilla/5.0 (Macintosh)')).toBeUndefined();
  });

  it('takes a request without a user agent for a scanner', () => {
    expect(classify(undefined)).toBe('scanner');
  });

  it(`takes a browser within ${SCANNER_WINDOW_SECONDS} s of the send for a scanner (a gateway checking the message on delivery)`, () => {
    const chrome = PEOPLE['Chrome on Windows'];
    expect(classify(chrome, new Date(sentAt.getTime() + 1500))).toBe('scanner');
    expect(classify(chrome, new Date(sentAt.getTime() + SCANNER_WINDOW_SECONDS * 1000 - 1))).toBe('scanner');
    expect(classify(chrome, new Date(sentAt.getTime() + SCANNER_WINDOW_SECONDS * 1000))).toBeUndefined();
    expect(classifyHit({ userAgent: chrome, at: new Date(sentAt.getTime() + 1000) })).toBeUndefined();
  });

  it('counts image proxies that fetch when a person opens as human, however soon', () => {
    expect(classify(PEOPLE['Gmail image proxy'], new Date(sentAt.getTime() + 1000))).toBeUndefined();
    expect(classify(PEOPLE['Yahoo Mail image proxy'], new Date(sentAt.getTime() + 1000))).toBeUndefined();
  });
});
