/**
 * The public contract (../shared/contract): every operation of its .graphql files, sent as
 * written through the real router of one shop, as the visitor, customers and an admin.
 * Each response goes through a type check against the composed API schema along the
 * operation's selection set (test/support/contract.ts), and each value the test can know is
 * asserted exactly: against what the test asked for, or what the shop answers elsewhere.
 * The last tests fail if an operation was never run or a selected field never held a value.
 * Skipped when ../shared/contract is absent.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Stack } from '../../scripts/stack';
import { eventually } from '../support/graphql';
import { apiSchema, CONTRACT_DIR, loadContract, selectedLeaves } from '../support/contract';
import { startTestStack } from '../support/stack';
import { afterTheOrders } from './contract/account';
import { catalogue } from './contract/catalogue';
import { createContract } from './contract/context';
import { identity } from './contract/identity';
import { orders } from './contract/orders';
import { promotions } from './contract/promotions';

const describeContract = existsSync(CONTRACT_DIR) ? describe : describe.skip;

/**
 * One shop for the whole file. The areas, in test/e2e/contract/, run in the order registered
 * here: each uses what the ones before it made (customers, products, codes, orders).
 */
describeContract('the contract, through the router', () => {
  const ctx = createContract();
  let stack: Stack;

  beforeAll(async () => {
    ctx.operations = loadContract();
    ctx.schema = apiSchema();
    ({ stack, env: ctx.env } = await startTestStack('contract'));
    ctx.url = stack.routerUrl;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  identity(ctx);
  catalogue(ctx);
  promotions(ctx);
  orders(ctx);
  afterTheOrders(ctx);

  // ---------- nothing left unchecked ----------

  it('every field selected by every operation was seen holding a value, and type-checked', () => {
    const { operations, schema, seenLeaves } = ctx;
    const unseen = Object.fromEntries(
      [...operations.values()]
        .map((op) => [op.name, selectedLeaves(schema, op).filter((leaf) => !seenLeaves.get(op.name)?.has(leaf))] as const)
        .filter(([, leaves]) => leaves.length),
    );
    expect(unseen).toEqual({});
  });

  it('every operation of the contract was exercised', () => {
    const { operations, exercised } = ctx;
    expect(operations.size).toBeGreaterThan(0);
    expect([...operations.keys()].filter((name) => !exercised.has(name))).toEqual([]);
  });

  it("the router's single-fetch shortcut answered some of them (so their values above held through it)", async () => {
    // Outside production the router's /metrics answers this machine without a token.
    const metrics = await (await fetch(ctx.url.replace(/\/graphql$/, '/metrics'))).text();
    const answered = Number(/shop_router_single_fetch_total\{outcome="answered"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
    expect(answered).toBeGreaterThan(0);
  });

  it("the router's merged plans answer as the gateway does: ProductPage and MyAccount, each asked both ways", async () => {
    const planned = async () => {
      const metrics = await (await fetch(ctx.url.replace(/\/graphql$/, '/metrics'))).text();
      return Number(/shop_router_merged_plans_total\{outcome="answered"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
    };
    const asked = [
      { name: 'ProductPage', variables: { id: ctx.teapot.id }, token: undefined },
      { name: 'ProductPage', variables: { id: ctx.cup.id }, token: ctx.ann.token },
      { name: 'MyAccount', variables: { ordersFirst: 10, notificationsFirst: 20, recommendationsFirst: 3 }, token: ctx.ann.token },
      { name: 'MyAccount', variables: { ordersFirst: 10, notificationsFirst: 20, recommendationsFirst: 3 }, token: undefined },
    ];
    for (const { name, variables, token } of asked) {
      // A text the router has not seen goes through the gateway, which plans it; the same text
      // again is answered by the router's own merge. A notification's status may change between
      // the two: they are asked again until two answers in a row agree.
      const both = await eventually(async () => {
        const query = `${ctx.operation(name).text}\n# ${randomBytes(6).toString('hex')}`;
        const send = async () => {
          const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
          return (await fetch(ctx.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) })).text();
        };
        const before = await planned();
        const gateway = await send();
        const router = await send();
        return gateway === router ? { gateway, router, merged: (await planned()) - before } : undefined;
      });
      expect(both.merged).toBe(1);
      expect(JSON.parse(both.router).errors).toBeUndefined();
    }
  });
});
