import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** The base URL of the links Lethe hands out (share links, export download links), without a trailing slash. */
export type LinkBase = () => string;

const WILDCARD: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };

/**
 * LETHE_PUBLIC_URL, else the address the server listens on (loopback for a wildcard). Never the request's Host or
 * X-Forwarded-Host header: whoever sends the request chooses those, and a link naming their host would hand the
 * next person who follows it (and the secret in it) to them.
 */
export function linkBase(app: FastifyInstance, configured: string | undefined): LinkBase {
  if (configured !== undefined) return () => configured;
  return () => {
    const { address, port } = app.server.address() as AddressInfo;
    const host = WILDCARD[address] ?? address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
}
