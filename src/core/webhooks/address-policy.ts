import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const GLOBAL_UNICAST: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];
const NAT64_WELL_KNOWN: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('64:ff9b::'), 96];

const ipv4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/**
 * The IPv4 address an IPv6 address stands for when packets to it reach that IPv4 host: IPv4-mapped and -translated
 * (the socket connects to the IPv4 host), NAT64 with the well-known prefix, and 6to4 (a relay forwards to it).
 */
function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = a.parts;
  switch (a.range()) {
    case 'ipv4Mapped': case 'rfc6145': return ipv4(p[6]!, p[7]!);
    case 'rfc6052': return a.match(NAT64_WELL_KNOWN) ? ipv4(p[6]!, p[7]!) : null;
    case '6to4': return ipv4(p[1]!, p[2]!);
    default: return null;
  }
}

/**
 * Public: ordinary unicast on the internet. Not loopback, private (RFC 1918, fc00::/7), link-local (cloud metadata
 * at 169.254.169.254), carrier-grade NAT, benchmarking, documentation, multicast, broadcast, 0.0.0.0/8 or any other
 * special range ipaddr.js knows; for IPv6, only global unicast (2000::/3) outside those ranges, and an address that
 * embeds an IPv4 one is judged by that one. Teredo and the local-use NAT64 prefix are refused outright.
 */
export function isPublicAddress(a: Address): boolean {
  if (a.kind() === 'ipv4') return a.range() === 'unicast';
  const v6 = a as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) return isPublicAddress(embedded);
  return v6.range() === 'unicast' && v6.match(GLOBAL_UNICAST);
}

/**
 * Dotted-decimal IPv4 or IPv6 only: resolvers and URL parsers hand over those forms, and a shorthand such as `127.1`
 * or `0x7f.1` is refused rather than guessed at. An IPv4-mapped IPv6 address becomes the IPv4 address it maps, so
 * one allowed range covers both spellings.
 */
function canonical(address: string): Address | null {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address) && !ipaddr.IPv6.isValid(address)) return null;
  return ipaddr.process(address);
}

/**
 * Which addresses webhooks may be sent to: public ones, and the operator's allowed ranges
 * (`LETHE_WEBHOOK_ALLOW_HOSTS`). Judged on the address actually connected to, after DNS resolution.
 */
export class AddressPolicy {
  private constructor(private readonly allowed: readonly [Address, number][]) {}

  /** Comma-separated IP addresses and CIDR ranges; anything else (a host name) is refused, naming the setting. */
  static parse(value: string | undefined, name: string): AddressPolicy {
    const entries = (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
    return new AddressPolicy(entries.map((entry) => {
      const [address, bits, ...rest] = entry.split('/');
      const ip = canonical(address!);
      const max = address!.includes(':') ? 128 : 32;
      const width = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
      if (!ip || rest.length || !(width >= 0 && width <= max)) {
        throw new Error(`${name} must list IP addresses or CIDR ranges such as 10.0.0.5 or 10.0.0.0/8, separated by commas (got "${entry}")`);
      }
      // A mapped IPv6 range names IPv4 addresses, as canonical() turns mapped addresses into IPv4 ones.
      const mappedWidth = address!.includes(':') && ip.kind() === 'ipv4' ? width - 96 : width;
      if (mappedWidth < 0) throw new Error(`${name}: "${entry}" is wider than the IPv4-mapped range`);
      return [ip, mappedWidth] as [Address, number];
    }));
  }

  static publicOnly(): AddressPolicy {
    return new AddressPolicy([]);
  }

  /** True when Lethe may connect to this address; an unparsable one is refused. */
  permits(address: string): boolean {
    const a = canonical(address);
    if (!a) return false;
    return this.allowed.some(([range, bits]) => range.kind() === a.kind() && a.match(range, bits)) || isPublicAddress(a);
  }
}

/** The IP address a URL names literally (an IPv6 one without its brackets), or null when it names a host. */
export function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : null;
}
