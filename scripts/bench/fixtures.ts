/**
 * What the scenarios need on a fresh shop: the admin, the demo catalogue's ids, buyers with
 * products of ample stock, and a customer with enough orders and notifications to fill the
 * largest list the bench asks for.
 */
import { eventually, gql } from '../../test/support/graphql';
import { contract, CREATE_PRODUCT, PRODUCT_IDS } from './operations';

export interface Fixtures {
  adminToken: string;
  /** Every product of the demo catalogue. */
  productIds: string[];
  /** The signed-in customer of MyAccount, with `accountOrders` orders and their notifications. */
  accountToken: string;
  /** Distinct customers for the checkout burst, each buying its own product. */
  buyers: { token: string; productId: string }[];
}

/** Runs an operation and returns its data; any GraphQL error stops the bench. */
export async function call<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await gql<T>(url, query, variables, token);
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}...: ${JSON.stringify(res.errors ?? res.status)}`);
  return res.data;
}

/** Runs `task` over items, `width` at a time. */
export async function inBatches<T, R>(items: T[], width: number, task: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i], i);
    }),
  );
  return results;
}

const signUp = async (url: string, email: string) =>
  (await call(url, contract.SIGN_UP, { email, password: 'long-enough-1', name: email.split('@')[0] })).signUp.token as string;

export async function setUp(url: string, env: Record<string, string>, buyerCount: number, accountOrders: number): Promise<Fixtures> {
  const adminToken = (await call(url, contract.LOG_IN, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD })).logIn.token as string;
  const productIds: string[] = [];
  for (let after: string | null = null, more = true; more; ) {
    const page: any = (await call(url, PRODUCT_IDS, { after })).products;
    productIds.push(...page.edges.map((e: { node: { id: string } }) => e.node.id));
    [after, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
  }

  const stamp = Date.now();
  const accountToken = await signUp(url, `account-${stamp}@example.com`);
  const buyers = await inBatches(Array.from({ length: buyerCount }, (_, i) => i), 4, async (i) => {
    // Its own product per buyer: the burst measures checkout, not one product's hot stock.
    const input = { sku: `BENCH-${stamp}-${i}`, name: `Bench mug ${i}`, description: 'A mug for the bench.', category: 'kitchen', priceCents: 900, stock: 1_000_000 };
    const productId = (await call(url, CREATE_PRODUCT, { input }, adminToken)).createProduct.id as string;
    return { token: await signUp(url, `buyer-${i}-${stamp}@example.com`), productId };
  });

  await inBatches(Array.from({ length: accountOrders }), 4, async (_, i) =>
    call(url, contract.PLACE_ORDER, { items: [{ productId: buyers[i % buyers.length].productId, quantity: 1 }] }, accountToken),
  );
  // Each order's confirmation becomes a notification through the broker and the worker.
  await eventually(async () => {
    const me = (await call(url, contract.MY_ACCOUNT, { ordersFirst: 1, notificationsFirst: accountOrders, recommendationsFirst: 1 }, accountToken)).me;
    return me.notifications.edges.length >= accountOrders ? true : undefined;
  }, 180_000, 500);
  return { adminToken, productIds, accountToken, buyers };
}
