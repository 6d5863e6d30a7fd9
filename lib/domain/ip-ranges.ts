/**
 * Which IP addresses mailroom may connect to on a tenant's behalf: only public unicast ones.
 * Every address is read as 128 bits (IPv4 as its IPv4-mapped IPv6 form, `::ffff:a.b.c.d`), so
 * one table of ranges covers both families and an IPv4 address written as IPv6 is judged as
 * the IPv4 address it is. Addresses that embed an IPv4 address for a translator (NAT64) are
 * judged by that address. Ranges: IANA's special-purpose address registries.
 */

/** Why an address is refused, in the words the API answers with. */
export type AddressKind = 'loopback' | 'private' | 'link-local' | 'unique-local' | 'multicast' | 'reserved';

interface Range {
  base: bigint;
  bits: number;
  kind: AddressKind;
}

const MAPPED = 0xffffn << 32n;

/** The 32-bit value of a dotted-quad IPv4 address, or undefined. */
function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

/** The 128-bit value of an IPv6 address (no zone, no brackets), or undefined. */
function parseIpv6(text: string): bigint | undefined {
  // A dotted IPv4 tail (`::ffff:1.2.3.4`) is the last two groups.
  const tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let hex = text;
  if (tail) {
    const v4 = parseIpv4(tail[1]!);
    if (v4 === undefined) return undefined;
    hex = `${text.slice(0, tail.index)}:${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return undefined;
  const read = (part: string) => (part === '' ? [] : part.split(':'));
  const left = read(halves[0]!);
  const right = halves.length === 2 ? read(halves[1]!) : [];
  if (![...left, ...right].every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  const given = left.length + right.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  const groups = [...left, ...new Array<string>(8 - given).fill('0'), ...right];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** An address as 128 bits (IPv4 mapped), or undefined when it is not an IP address. */
export function parseIp(text: string): bigint | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return MAPPED | v4;
  return text.includes(':') ? parseIpv6(text) : undefined;
}

const v4 = (cidr: string, kind: AddressKind): Range => {
  const [address, bits] = cidr.split('/');
  return { base: MAPPED | parseIpv4(address!)!, bits: 96 + Number(bits), kind };
};
const v6 = (cidr: string, kind: AddressKind): Range => {
  const [address, bits] = cidr.split('/');
  return { base: parseIpv6(address!)!, bits: Number(bits), kind };
};

/** Refused ranges, most specific first where they overlap. */
const RANGES: readonly Range[] = [
  v4('0.0.0.0/8', 'reserved'), // "this network"
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'private'), // shared address space (carrier-grade NAT)
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'), // includes 169.254.169.254, the instance metadata service
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  v4('192.0.2.0/24', 'reserved'), // documentation
  v4('192.88.99.0/24', 'reserved'), // 6to4 relay anycast
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'reserved'), // benchmarking
  v4('198.51.100.0/24', 'reserved'), // documentation
  v4('203.0.113.0/24', 'reserved'), // documentation
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'), // future use, and the broadcast address
  v6('::1/128', 'loopback'),
  v6('::/128', 'reserved'), // unspecified
  v6('::/96', 'reserved'), // IPv4-compatible (deprecated); the mapped range ::ffff:0:0/96 is judged above
  v6('::ffff:0:0:0/96', 'reserved'), // IPv4-translated (SIIT)
  v6('64:ff9b:1::/48', 'reserved'), // local-use translation
  v6('100::/64', 'reserved'), // discard-only
  v6('2001::/23', 'reserved'), // IETF protocol assignments, Teredo among them
  v6('2001:db8::/32', 'reserved'), // documentation
  v6('2002::/16', 'reserved'), // 6to4
  v6('3fff::/20', 'reserved'), // documentation
  v6('5f00::/16', 'reserved'), // segment routing
  v6('fc00::/7', 'unique-local'), // includes fd00:ec2::254, the instance metadata service over IPv6
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'reserved'), // site-local (deprecated)
  v6('ff00::/8', 'multicast'),
];

const NAT64 = parseIpv6('64:ff9b::')!;
const ALL = (1n << 128n) - 1n;

function inRange(value: bigint, range: Range): boolean {
  const mask = (ALL << BigInt(128 - range.bits)) & ALL;
  return (value & mask) === range.base;
}

/**
 * Why `address` may not be connected to (`loopback`, `private`, …), or undefined for a public
 * unicast address. Text that is no IP address at all is `reserved`: nothing unknown passes.
 */
export function refusedKind(address: string): AddressKind | undefined {
  let value = parseIp(address);
  if (value === undefined) return 'reserved';
  // The NAT64 well-known prefix carries an IPv4 address in its last 32 bits: judge that one.
  if (value >> 32n === NAT64 >> 32n) value = MAPPED | (value & 0xffffffffn);
  return RANGES.find((range) => inRange(value, range))?.kind;
}

/** Whether `address` is a loopback address (127.0.0.0/8, ::1, or 127.x written as IPv6). */
export function isLoopback(address: string): boolean {
  return refusedKind(address) === 'loopback';
}
