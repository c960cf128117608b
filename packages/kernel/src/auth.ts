import { createHmac, timingSafeEqual } from 'node:crypto';
import { ShopError } from './errors';
import type { Identity, TokenVerifier } from './tokens';

export interface AuthContext {
  identity: Identity | null;
  /** True when the caller presented the internal service credential. */
  isService: boolean;
  /** True when the router sent the request (it signs with the service credential, routerHeaders). */
  fromRouter: boolean;
  /** The client's address as the router saw it (signed x-forwarded-for), else the peer's. */
  clientAddress?: string;
}

/** An entity another subgraph owns, as this subgraph sees it: just its key. */
export interface EntityRef {
  id: string;
}

export const SERVICE_TOKEN_HEADER = 'x-service-token';
const CLIENT_ADDRESS_SIGNATURE_HEADER = 'x-forwarded-for-signature';
const ROUTER_HEADER = 'x-router-signature';

const signature = (address: string, secret: string) => createHmac('sha256', secret).update(address).digest('hex');
// A value of its own, so that no client address can ever sign as the router. One secret per
// process: computed once, not on every request (two HMACs a request were 5 % of a subgraph's CPU).
const routerSignatures = new Map<string, string>();
function routerSignature(secret: string): string {
  let signed = routerSignatures.get(secret);
  if (signed === undefined) routerSignatures.set(secret, (signed = createHmac('sha256', secret).update('router\0shop-supergraph').digest('hex')));
  return signed;
}

/**
 * The header by which the router shows a subgraph that a request comes from it: federation's own
 * fields (`_entities`, `_service`) are answered only to the router and to our services.
 */
export function routerHeaders(secret: string): Record<string, string> {
  return { [ROUTER_HEADER]: routerSignature(secret) };
}

/**
 * The headers with which the router tells a subgraph the client's address. It signs them with
 * the service credential: a caller reaching a subgraph directly cannot pick the address that
 * per-address limits (log-in attempts) count it under.
 */
export function clientAddressHeaders(address: string, secret: string): Record<string, string> {
  return { 'x-forwarded-for': address, [CLIENT_ADDRESS_SIGNATURE_HEADER]: signedAddress(address, secret) };
}

// The router signs every request's address and each subgraph checks it: an HMAC each time cost
// about 1 % of the router's CPU. A shop's clients are a few addresses at once (often one proxy),
// so the signatures are kept; the map starts again when full, so a flood of addresses cannot grow it.
const signatures = new Map<string, string>();
function signedAddress(address: string, secret: string): string {
  const key = `${secret}\0${address}`;
  let signed = signatures.get(key);
  if (signed === undefined) {
    if (signatures.size >= 10_000) signatures.clear();
    signatures.set(key, (signed = signature(address, secret)));
  }
  return signed;
}

/** Reads the bearer token from an Authorization header value; undefined when absent. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new ShopError('UNAUTHENTICATED', 'Authorization header must be "Bearer <token>"');
  return match[1];
}

type Headers = Record<string, string | string[] | undefined>;
const header = (headers: Headers, name: string) => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Builds the caller's identity from request headers; every subgraph verifies the token itself. */
export async function authContextFromHeaders(
  headers: Headers,
  auth: { verifier: TokenVerifier; serviceToken: string },
  peerAddress?: string,
): Promise<AuthContext> {
  const token = bearerToken(header(headers, 'authorization'));
  const serviceToken = header(headers, SERVICE_TOKEN_HEADER);
  const forwarded = header(headers, 'x-forwarded-for');
  const vouched = forwarded && sameSecret(header(headers, CLIENT_ADDRESS_SIGNATURE_HEADER) ?? '', signedAddress(forwarded, auth.serviceToken));
  return {
    identity: token ? await auth.verifier.verify(token) : null,
    isService: !!serviceToken && sameSecret(serviceToken, auth.serviceToken),
    fromRouter: sameSecret(header(headers, ROUTER_HEADER) ?? '', routerSignature(auth.serviceToken)),
    clientAddress: vouched ? forwarded : peerAddress,
  };
}

export function requireUser(ctx: AuthContext): Identity {
  if (!ctx.identity) throw new ShopError('UNAUTHENTICATED', 'Sign in first');
  return ctx.identity;
}

/**
 * Who may call a field: any signed-in user, admins, our own services (internal operations), or
 * `self`: on a field of a User entity, that user or an admin.
 */
export type Access = 'user' | 'admin' | 'service' | 'self';
export type AccessPolicy = Record<string, Record<string, Access>>;

const checks: Record<Access, (ctx: AuthContext, parent: unknown) => void> = {
  user: (ctx) => void requireUser(ctx),
  admin: (ctx) => {
    if (requireUser(ctx).role !== 'ADMIN') throw new ShopError('FORBIDDEN', 'Admins only');
  },
  service: (ctx) => {
    if (!ctx.isService) throw new ShopError('FORBIDDEN', 'Internal operation');
  },
  self: (ctx, user) => assertOwnerOrAdmin(ctx, String((user as { id: unknown }).id)),
};

/**
 * Declarative authorization: each subgraph states in one table who may call which field, and
 * this wraps those resolvers, instead of checks sprinkled through resolver bodies. A field
 * named in the policy without a resolver is a mistake and fails at start-up.
 */
export function withAccessPolicy<R extends object>(resolvers: R, policy: AccessPolicy): R {
  const guarded: Record<string, Record<string, unknown>> = { ...(resolvers as Record<string, Record<string, unknown>>) };
  for (const [typeName, fields] of Object.entries(policy)) {
    guarded[typeName] = { ...guarded[typeName] };
    for (const [field, access] of Object.entries(fields)) {
      const resolve = guarded[typeName][field];
      if (typeof resolve !== 'function') throw new Error(`access policy names ${typeName}.${field}, which has no resolver`);
      guarded[typeName][field] = (parent: unknown, args: unknown, ctx: AuthContext, info: unknown) => {
        checks[access](ctx, parent);
        return resolve(parent, args, ctx, info);
      };
    }
  }
  return guarded as R;
}

/** The owner of a resource, or an admin, may see it; anyone else gets FORBIDDEN. */
export function assertOwnerOrAdmin(ctx: AuthContext, ownerId: string): void {
  const me = requireUser(ctx);
  if (me.role !== 'ADMIN' && me.userId !== ownerId) throw new ShopError('FORBIDDEN', 'Not yours');
}
