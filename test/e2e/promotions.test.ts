/** Promotion rules through the router: limits under concurrency, each refusal's reason, admin views. */
import type { Stack } from '../../scripts/stack';
import { errorCode, gql } from '../support/graphql';
import { startTestStack } from '../support/stack';

let stack: Stack;
let env: Record<string, string>;
let url: string;
let admin: string;
let productId: string;

const CREATE = `mutation($input: CreatePromotionInput!) { createPromotion(input: $input) { code active } }`;
const ORDER = `mutation($id: ID!, $promo: String, $qty: Int!) { placeOrder(input: { items: [{ productId: $id, quantity: $qty }], promoCode: $promo }) { id discount { cents } } }`;
const reasonOf = (res: any) => res.errors?.[0]?.extensions?.reason;
let n = 0;
const customer = async () =>
  (await gql(url, `mutation($e: String!) { signUp(input: { email: $e, password: "long-enough-1", name: "P" }) { token } }`, { e: `p${++n}.${Date.now()}@example.com` })).data.signUp.token;

beforeAll(async () => {
  ({ stack, env } = await startTestStack('promos'));
  url = stack.routerUrl;
  admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
  const input = { sku: `PR-${Date.now()}`, name: 'Mug', description: 'A mug', category: 'kitchen', priceCents: 1000, stock: 1000 };
  productId = (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin)).data.createProduct.id;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

it('a code limited to 10 redemptions is redeemed exactly 10 times by 40 concurrent orders', async () => {
  await gql(url, CREATE, { input: { code: 'TEN', description: 'ten', percentOff: 20, maxRedemptions: 10 } }, admin);
  const tokens = await Promise.all(Array.from({ length: 8 }, customer));
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => gql(url, ORDER, { id: productId, promo: 'ten', qty: 1 }, tokens[i % 8])));
  const won = results.filter((r) => r.data?.placeOrder);
  expect(won).toHaveLength(10);
  expect(won.every((r) => r.data.placeOrder.discount.cents === 200)).toBe(true);
  expect(results.filter((r) => reasonOf(r) === 'EXHAUSTED')).toHaveLength(30);
  const listed = (await gql(url, `{ promotions { code redemptionCount active } }`, {}, admin)).data.promotions;
  expect(listed.find((p: any) => p.code === 'TEN')).toEqual({ code: 'TEN', redemptionCount: 10, active: false });
  expect((await gql(url, `query($id: ID!) { product(id: $id) { stock } }`, { id: productId })).data.product.stock).toBe(990);
}, 120_000);

it('a per-customer limit holds under concurrency, and a cancelled order gives its use back', async () => {
  await gql(url, CREATE, { input: { code: 'ONCE', description: 'once each', amountOffCents: 100, perCustomerLimit: 1 } }, admin);
  const token = await customer();
  const results = await Promise.all(Array.from({ length: 10 }, () => gql(url, ORDER, { id: productId, promo: 'ONCE', qty: 1 }, token)));
  const won = results.filter((r) => r.data?.placeOrder);
  expect(won).toHaveLength(1);
  expect(results.filter((r) => reasonOf(r) === 'CUSTOMER_LIMIT')).toHaveLength(9);
  await gql(url, `mutation($id: ID!) { cancelOrder(id: $id) { status } }`, { id: won[0].data.placeOrder.id }, token);
  expect((await gql(url, ORDER, { id: productId, promo: 'ONCE', qty: 1 }, token)).data.placeOrder.discount.cents).toBe(100);
}, 60_000);

it('says why a code is refused', async () => {
  const token = await customer();
  const soon = new Date(Date.now() + 86_400_000).toISOString();
  const past = new Date(Date.now() - 86_400_000).toISOString();
  await gql(url, CREATE, { input: { code: 'LATER', description: 'd', percentOff: 5, startsAt: soon } }, admin);
  await gql(url, CREATE, { input: { code: 'GONE', description: 'd', percentOff: 5, startsAt: new Date(Date.now() - 2 * 86_400_000).toISOString(), endsAt: past } }, admin);
  await gql(url, CREATE, { input: { code: 'BIGBASKET', description: 'd', percentOff: 5, minSubtotalCents: 5000 } }, admin);
  await gql(url, CREATE, { input: { code: 'PAUSED', description: 'd', percentOff: 5 } }, admin);
  expect((await gql(url, `mutation { deactivatePromotion(code: "paused") { active } }`, {}, admin)).data.deactivatePromotion.active).toBe(false);
  const tryCode = async (promo: string, qty = 1) => gql(url, ORDER, { id: productId, promo, qty }, token);
  for (const [code, reason] of [['NOPE', 'UNKNOWN'], ['LATER', 'NOT_STARTED'], ['GONE', 'EXPIRED'], ['BIGBASKET', 'MIN_SUBTOTAL'], ['PAUSED', 'INACTIVE']]) {
    const res = await tryCode(code);
    expect({ code, error: errorCode(res), reason: reasonOf(res) }).toEqual({ code, error: 'PROMO_CODE_INVALID', reason });
  }
  expect((await tryCode('bigbasket', 5)).data.placeOrder.discount.cents).toBe(250);
  expect(errorCode(await gql(url, CREATE, { input: { code: 'bigBasket', description: 'dup', percentOff: 1 } }, admin))).toBe('BAD_USER_INPUT');
}, 60_000);

it('anyone may look a code up; its redemption count is for admins only', async () => {
  const query = `{ promotion(code: "chat10") { code percentOff } }`;
  expect((await gql(url, query)).data.promotion).toEqual({ code: 'CHAT10', percentOff: 10 });
  const counted = `{ promotion(code: "CHAT10") { code redemptionCount } }`;
  expect(errorCode(await gql(url, counted))).toBe('UNAUTHENTICATED');
  expect(errorCode(await gql(url, counted, {}, await customer()))).toBe('FORBIDDEN');
  expect((await gql(url, counted, {}, admin)).data.promotion.redemptionCount).toEqual(expect.any(Number));
});
