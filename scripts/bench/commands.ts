/**
 * Database commands per request, from FerretDB's own counters, for request shapes whose lists
 * hold few or many items: a cost that grows with the list is a query per item (N+1).
 */
import { call, type Fixtures } from './fixtures';
import { commandsDuring, total, untilQuiet } from './ferretdb-metrics';
import { contract, PRODUCT_PAGE } from './operations';
import { cpuByProcess, cpuPer } from './cpu';

/** The recommendations subgraph refuses first > 20: its lists are asked for at most that. */
const RECOMMENDATIONS_MAX = 20;

export interface CommandsResult {
  shape: string;
  size: number;
  /** The items the answers held, per list (e.g. orders+notifications+recommendations). */
  items: string;
  /**
   * The fewest any of the requests counted: the shop's own timers (outbox sweeps and the
   * consumers they wake) may still land in a request's count, and only ever add to it.
   */
  perRequest: number;
  /** Each request's count of data commands. */
  samples: number[];
  /** The commands of a request with the fewest, by command. */
  byCommand: Record<string, number>;
}

interface Shape {
  name: string;
  /** Request i of a run, and the sizes of the lists it answered. */
  request(i: number, size: number): Promise<number[]>;
}

function shapes(url: string, fixtures: Fixtures): Shape[] {
  const recommendations = (size: number) => Math.min(size, RECOMMENDATIONS_MAX);
  return [
    {
      name: 'product page',
      async request(i, size) {
        const { product } = await call(url, PRODUCT_PAGE, { id: fixtures.productIds[i % fixtures.productIds.length], first: recommendations(size) });
        return [product.recommendations.length];
      },
    },
    {
      // Several words in every description, in stock, by price: more matches than the largest page.
      name: 'search',
      async request(_, size) {
        const { products } = await call(url, contract.PRODUCTS, { first: size, search: 'everyday use', inStock: true, sort: 'PRICE_ASC' });
        return [products.edges.length];
      },
    },
    {
      name: 'MyAccount',
      async request(_, size) {
        const { me } = await call(url, contract.MY_ACCOUNT, { ordersFirst: size, notificationsFirst: size, recommendationsFirst: recommendations(size) }, fixtures.accountToken);
        return [me.orders.edges.length, me.notifications.edges.length, me.recommendations.length];
      },
    },
  ];
}

/**
 * Each shape at each list size: `requests` sequential requests once to warm the caches, then
 * the same again, each when the database is quiet, reading FerretDB's counters around it.
 */
export async function commandsPerRequest(url: string, metricsUrl: string, fixtures: Fixtures, requests: number, listSizes: number[]): Promise<CommandsResult[]> {
  const results: CommandsResult[] = [];
  for (const shape of shapes(url, fixtures)) {
    for (const size of listSizes) {
      for (let i = 0; i < requests; i++) await shape.request(i, size);
      const counted: { items: number[]; commands: Record<string, number> }[] = [];
      for (let i = 0; i < requests; i++) {
        let items: number[] = [];
        await untilQuiet(metricsUrl);
        const commands = await commandsDuring(metricsUrl, async () => void (items = await shape.request(i, size)));
        counted.push({ items, commands });
      }
      const samples = counted.map((c) => total(c.commands));
      const perRequest = Math.min(...samples);
      const fewest = counted[samples.indexOf(perRequest)];
      results.push({ shape: shape.name, size, items: fewest.items.join('+'), perRequest, samples, byCommand: fewest.commands });
    }
  }
  return results;
}

export interface OrderCommands {
  orders: number;
  /** Data commands per order, by command, averaged over the orders. */
  byCommand: Record<string, number>;
  perOrder: number;
  /** CPU milliseconds per order of each process, one order at a time: its cost without contention. */
  cpuPerOrder: Record<string, number>;
}

/**
 * What one checkout costs the database in all: `orders` sequential placeOrders of one line, and
 * everything they set off after answering (events, the notifications worker, learning), counted
 * from a quiet database until it is quiet again; and the CPU each process spent meanwhile.
 */
export async function commandsPerOrder(url: string, metricsUrl: string, fixtures: Fixtures, orders: number): Promise<OrderCommands> {
  const [buyer] = fixtures.buyers;
  await untilQuiet(metricsUrl, 500, 10_000);
  const cpuBefore = cpuByProcess();
  const counted = await commandsDuring(metricsUrl, async () => {
    for (let i = 0; i < orders; i++) await call(url, contract.PLACE_ORDER, { items: [{ productId: buyer.productId, quantity: 1 }] }, buyer.token);
    await new Promise((r) => setTimeout(r, 1000));
    await untilQuiet(metricsUrl, 500, 10_000);
  });
  const byCommand = Object.fromEntries(Object.entries(counted).map(([command, n]) => [command, Math.round((100 * n) / orders) / 100]));
  const cpuPerOrder = cpuPer(cpuBefore, cpuByProcess(), orders);
  return { orders, byCommand, perOrder: Math.round((100 * total(counted)) / orders) / 100, cpuPerOrder };
}
