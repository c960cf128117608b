/**
 * Many order subscribers on one router, each on its own WebSocket connection: shared by the
 * subscriptions bench and `npm run bench`.
 */
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { eventually } from '../../test/support/graphql';
import { connect, openSubscriptions, subscribe } from '../../test/support/subscriptions';
import { readSigningKeys } from '../../test/support/users-db';

/** Makes tokens of distinct admins, signed with the shop's own key as the users subgraph would sign them. */
export async function adminTokens(env: Record<string, string>): Promise<() => string> {
  const [key] = await readSigningKeys(env);
  return () =>
    jwt.sign({ role: 'ADMIN', email: 'bench-admin@example.com' }, key.privateKeyPem, {
      algorithm: 'RS256', keyid: key.kid, subject: randomBytes(12).toString('hex'), issuer: 'shop-users', audience: 'shop', expiresIn: 900,
    });
}

/**
 * Subscribes each subscriber to its order with `query`; `onEvent` sees every event with its
 * arrival time. Resolves once the router holds every subscription; close() ends them all.
 */
export async function subscribeAll(
  url: string,
  query: string,
  subscribers: { orderId: string; token: string }[],
  onEvent: (subscriber: number, event: any, at: number) => void,
): Promise<{ close(): Promise<void> }> {
  const connections = subscribers.map(({ orderId, token }, i) => {
    const connection = connect(url, token);
    subscribe(connection.client, query, { id: orderId }, (event) => onEvent(i, event, Date.now()));
    return connection;
  });
  const close = async () => {
    await Promise.all(connections.map((c) => c.client.dispose()));
    await eventually(async () => ((await openSubscriptions(url)) === 0 ? true : undefined), 60_000, 200);
  };
  try {
    await eventually(async () => ((await openSubscriptions(url)) === subscribers.length ? true : undefined), 300_000, 200);
  } catch (err) {
    await close();
    throw err;
  }
  return { close };
}
