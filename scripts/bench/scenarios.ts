/** The load scenarios: what the storefront sends most, and checkout. */
import type { Fixtures } from './fixtures';
import type { LoadScenario } from './load';
import { contract, LANDING, PRODUCT_PAGE } from './operations';

const body = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

export function readScenarios(fixtures: Fixtures, connections: number): LoadScenario[] {
  const same = (json: string, token?: string) => () => ({ token, body: json });
  let next = 0;
  return [
    { name: 'landing list', connections, connection: same(body(LANDING)) },
    {
      name: 'search',
      connections,
      connection: same(body(contract.PRODUCTS, { first: 20, search: 'everyday use', category: 'kitchen', inStock: true, sort: 'PRICE_ASC' })),
    },
    // The contract's Products with no filter variables: its filter object arrives empty.
    { name: 'Products, first: 20 only', connections, connection: same(body(contract.PRODUCTS, { first: 20 })) },
    {
      name: 'product page, 10 recommendations',
      connections,
      // Every product of the catalogue in turn, as shoppers browse.
      nextBody: () => body(PRODUCT_PAGE, { id: fixtures.productIds[next++ % fixtures.productIds.length], first: 10 }),
      warmUpRequests: fixtures.productIds.length,
    },
    {
      name: 'MyAccount',
      connections,
      connection: same(body(contract.MY_ACCOUNT, { ordersFirst: 10, notificationsFirst: 10, recommendationsFirst: 10 }), fixtures.accountToken),
    },
    // The ratios' reference again, after the others: its mean with the first cancels a drift of
    // the shared machine's speed across the run (measured: the same code's landing list from
    // 604 to 1,015 req/s from one run to the next).
    { name: 'landing list, again', connections, connection: same(body(LANDING)) },
  ];
}

/** placeOrder from every buyer at once: one connection each, each buying its own product. */
export function checkoutScenario(fixtures: Fixtures, onOrder: (number: number, at: number) => void): LoadScenario {
  return {
    name: `placeOrder, ${fixtures.buyers.length} customers`,
    connections: fixtures.buyers.length,
    connection: (i) => ({ token: fixtures.buyers[i].token, body: body(contract.PLACE_ORDER, { items: [{ productId: fixtures.buyers[i].productId, quantity: 1 }] }) }),
    onData: (data, at) => onOrder(data.placeOrder.number, at),
  };
}
