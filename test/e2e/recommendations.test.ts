/** Recommendations through the router: learnt from real orders over RabbitMQ, products resolved by the catalogue. */
import type { Stack } from '../../scripts/stack';
import { eventually, gql } from '../support/graphql';
import { startTestStack } from '../support/stack';

let stack: Stack;
let env: Record<string, string>;
let url: string;
let admin: string;
const id: Record<string, string> = {};
const buyer: Record<string, string> = {};

const ORDER = `mutation($items: [OrderItemInput!]!) { placeOrder(input: { items: $items }) { id status } }`;
const FOR_PRODUCT = `query($id: ID!) { product(id: $id) { recommendations(first: 4) { id name } } }`;
const FOR_ME = `{ me { recommendations(first: 10) { id name } } }`;
const names = (list: { name: string }[]) => list.map((p) => p.name);

async function customer(name: string) {
  const res = await gql(url, `mutation($e: String!, $n: String!) { signUp(input: { email: $e, password: "long-enough-1", name: $n }) { token } }`, {
    e: `${name}.${Date.now()}@example.com`,
    n: name,
  });
  return res.data.signUp.token as string;
}

async function buy(token: string, ...products: string[]) {
  const res = await gql(url, ORDER, { items: products.map((p) => ({ productId: id[p], quantity: 1 })) }, token);
  expect(res.data?.placeOrder.status).toBe('CONFIRMED');
  return res.data.placeOrder.id as string;
}

beforeAll(async () => {
  ({ stack, env } = await startTestStack('recs'));
  url = stack.routerUrl;
  admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  const category = `rec-${Date.now()}`;
  for (const name of ['Tent', 'Stakes', 'Lamp', 'Stove', 'Compass', 'Kettle']) {
    const input = { sku: `REC-${name}-${Date.now()}`, name, description: name, category, priceCents: 1000, stock: 100 };
    id[name] = (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin)).data.createProduct.id;
  }
  // Tent is bought with Stakes twice, with Lamp once, with Stove once; Compass is never bought.
  for (const name of ['ann', 'bob', 'cat', 'dan']) buyer[name] = await customer(name);
  await buy(buyer.ann, 'Tent', 'Stakes');
  await buy(buyer.bob, 'Tent', 'Stakes');
  await buy(buyer.cat, 'Tent', 'Lamp');
  await buy(buyer.dan, 'Tent', 'Stove');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

it('ranks what is bought together first, then fills from the category; names come from the catalogue', async () => {
  const list = await eventually(async () => {
    const res = await gql(url, FOR_PRODUCT, { id: id.Tent });
    const recs = res.data?.product.recommendations ?? [];
    return recs.length === 4 && recs[0].name === 'Stakes' ? recs : undefined;
  }, 20_000, 200);
  expect(new Set(names(list.slice(1, 3)))).toEqual(new Set(['Lamp', 'Stove']));
  expect(['Compass', 'Kettle']).toContain(list[3].name);
  expect(names(list)).not.toContain('Tent');
}, 30_000);

it('shows a recommended product with the name and price the catalogue has at that moment', async () => {
  // The recommendations subgraph provides them (@provides), read in the call that checks stock.
  const PAGE = `query($id: ID!) { product(id: $id) { recommendations(first: 4) { id name price { cents currency } } } }`;
  const change = `mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id } }`;
  await eventually(async () => ((await gql(url, PAGE, { id: id.Tent })).data?.product.recommendations[0]?.name === 'Stakes' ? true : undefined), 20_000, 200);
  expect((await gql(url, change, { id: id.Stakes, input: { name: 'Tent stakes', priceCents: 1234 } }, admin)).errors).toBeUndefined();
  const shown = (await gql(url, PAGE, { id: id.Tent })).data.product.recommendations[0];
  expect(shown).toEqual({ id: id.Stakes, name: 'Tent stakes', price: { cents: 1234, currency: 'EUR' } });
  await gql(url, change, { id: id.Stakes, input: { name: 'Stakes', priceCents: 1000 } }, admin);
  expect((await gql(url, PAGE, { id: id.Tent })).data.product.recommendations[0]).toEqual({ id: id.Stakes, name: 'Stakes', price: { cents: 1000, currency: 'EUR' } });
}, 30_000);

it('does not recommend a product that went out of stock', async () => {
  const { stock } = (await gql(url, `query($p: ID!) { product(id: $p) { stock } }`, { p: id.Lamp })).data.product;
  const res = await gql(url, `mutation($p: ID!, $d: Int!) { adjustStock(productId: $p, delta: $d) { stock } }`, { p: id.Lamp, d: -stock }, admin);
  expect(res.data?.adjustStock.stock).toBe(0);
  const list = await eventually(async () => {
    const recs = (await gql(url, FOR_PRODUCT, { id: id.Tent })).data?.product.recommendations;
    return recs && !names(recs).includes('Lamp') ? recs : undefined;
  }, 10_000, 200);
  expect(names(list).slice(0, 2)).toEqual(['Stakes', 'Stove']);
}, 30_000);

it('recommends a customer what goes with their purchases, never what they bought', async () => {
  // Cat bought Tent and Lamp: Stakes and Stove go with Tent.
  const list = await eventually(async () => {
    const recs = (await gql(url, FOR_ME, {}, buyer.cat)).data?.me.recommendations;
    return recs && names(recs).includes('Stakes') ? recs : undefined;
  }, 20_000, 200);
  expect(names(list)[0]).toBe('Stakes');
  expect(names(list)).toContain('Stove');
  expect(names(list)).not.toContain('Tent');
  expect(names(list)).not.toContain('Lamp');
}, 30_000);

it("shows a customer's recommendations with the price the catalogue has at that moment", async () => {
  // Read with the customer's cached ranking, in its round trip (prefetchInto).
  const ME = `{ me { recommendations(first: 10) { id name price { cents currency } } } }`;
  const change = `mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id } }`;
  const stakes = async () => ((await gql(url, ME, {}, buyer.cat)).data?.me.recommendations as { id: string; price: unknown }[] | undefined)?.find((r) => r.id === id.Stakes);
  await eventually(stakes, 20_000, 200);
  expect((await gql(url, change, { id: id.Stakes, input: { priceCents: 2345 } }, admin)).errors).toBeUndefined();
  expect((await stakes())?.price).toEqual({ cents: 2345, currency: 'EUR' });
  await gql(url, change, { id: id.Stakes, input: { priceCents: 1000 } }, admin);
  expect((await stakes())?.price).toEqual({ cents: 1000, currency: 'EUR' });
}, 30_000);

it('offers a new customer the best sellers', async () => {
  const fresh = await customer('eve');
  const list = await eventually(async () => {
    const recs = (await gql(url, FOR_ME, {}, fresh)).data?.me.recommendations;
    return recs && names(recs)[0] === 'Tent' ? recs : undefined;
  }, 20_000, 200);
  expect(names(list)).toContain('Stakes');
}, 30_000);

it('forgets a cancelled order', async () => {
  // Three cancelled Tent+Stove orders would put Stove first if they were still counted.
  const eve = await customer('eve2');
  const orders = [await buy(eve, 'Tent', 'Stove'), await buy(eve, 'Tent', 'Stove'), await buy(eve, 'Tent', 'Stove')];
  await eventually(async () => {
    const recs = (await gql(url, FOR_PRODUCT, { id: id.Tent })).data?.product.recommendations;
    return recs?.[0]?.name === 'Stove' ? recs : undefined;
  }, 20_000, 200);
  for (const order of orders) await gql(url, `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: order }, eve);
  await eventually(async () => {
    const recs = (await gql(url, FOR_PRODUCT, { id: id.Tent })).data?.product.recommendations;
    return recs?.[0]?.name === 'Stakes' ? recs : undefined;
  }, 20_000, 200);
}, 60_000);
