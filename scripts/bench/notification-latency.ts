/**
 * Latency from placeOrder returning to the confirmation email accepted by an SMTP server on
 * loopback, over N orders placed one after another (`npm run bench -- 200`). Starts its own
 * FerretDB (unless MONGO_URL is set), SMTP server and shop; prints p50, p90, p99 and max.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startFerretDB } from '../ferretdb';
import { gql } from '../../test/support/graphql';
import { startSmtp } from '../../test/support/smtp';
import { startTestStack } from '../../test/support/stack';
import { percentile } from './stats';

async function main() {
  const orders = Number(process.argv[2] ?? 200);
  const db = process.env.MONGO_URL ? undefined : await startFerretDB(mkdtempSync(path.join(os.tmpdir(), 'shop-bench-')), await freePort());
  process.env.MONGO_URL ??= db!.url;
  const smtp = await startSmtp();
  const { stack, env } = await startTestStack('bench', { SMTP_URL: smtp.url, LOG_LEVEL: 'error' });
  try {
    const url = stack.routerUrl;
    const admin = (await gql(url, `mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }`, { e: env.ADMIN_EMAIL, p: env.ADMIN_PASSWORD })).data.logIn.token;
    const token = (await gql(url, `mutation { signUp(input: { email: "bench@example.com", password: "long-enough-1", name: "Bench" }) { token } }`)).data.signUp.token;
    const input = { sku: `BENCH-${Date.now()}`, name: 'Bench mug', description: 'd', category: 'kitchen', priceCents: 900, stock: orders + 10 };
    const productId = (await gql(url, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, { input }, admin)).data.createProduct.id;
    await new Promise((r) => setTimeout(r, 1000)); // the worker learns the new customer first

    const placedAt = new Map<number, number>();
    const latencies: number[] = [];
    let done: () => void;
    const allDone = new Promise<void>((r) => (done = r));
    smtp.onMail((mail) => {
      const n = Number(/#(\d+) is confirmed/.exec(mail.subject)?.[1]);
      const at = placedAt.get(n);
      if (at === undefined) return;
      latencies.push(mail.at - at);
      if (latencies.length === orders) done();
    });
    const started = Date.now();
    for (let i = 0; i < orders; i++) {
      const res = await gql(url, `mutation($id: ID!) { placeOrder(input: { items: [{ productId: $id, quantity: 1 }] }) { number } }`, { id: productId }, token);
      placedAt.set(res.data.placeOrder.number, Date.now());
    }
    const placing = Date.now() - started;
    await Promise.race([allDone, new Promise((r) => setTimeout(r, 60_000))]);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`orders: ${orders} placed in ${placing} ms (${(placing / orders).toFixed(0)} ms per placeOrder, one at a time)`);
    console.log(`emails accepted: ${latencies.length}`);
    console.log(`placeOrder returned -> email accepted by SMTP: p50 ${percentile(sorted, 50)} ms, p90 ${percentile(sorted, 90)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms`);
  } finally {
    await stack.stop();
    await smtp.stop();
    await db?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
