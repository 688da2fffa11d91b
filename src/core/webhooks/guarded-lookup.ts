import { lookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy.js';

/** Every address a host name resolves to (the system resolver, as Node's own connections use it). */
export type Resolve = (hostname: string, family: number) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname, family) => new Promise((resolve, reject) => {
  lookup(hostname, { all: true, family }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
});

/** Every address the name resolved to is one the policy refuses. */
export class BlockedAddress extends Error {
  readonly code = 'EBLOCKEDADDRESS';
  constructor() {
    super('the host resolves to no address webhooks may be sent to');
  }
}

/**
 * A `lookup` for a connection: it resolves the name itself and hands the socket only the addresses the policy
 * permits, so the address checked is the address connected to, on every connection. A name that changes its
 * answer between two lookups (DNS rebinding) gains nothing: no other resolution is made.
 */
export function guardedLookup(policy: AddressPolicy, resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family ?? 0).then((addresses) => {
      const permitted = addresses.filter((a) => policy.permits(a.address));
      if (!permitted.length) callback(new BlockedAddress(), options.all ? [] : '');
      else if (options.all) callback(null, permitted);
      else callback(null, permitted[0]!.address, permitted[0]!.family);
    }, (err: NodeJS.ErrnoException) => callback(err, options.all ? [] : ''));
  };
}
