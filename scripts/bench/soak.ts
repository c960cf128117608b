/**
 * `npm run bench:soak`: the shop under mixed traffic for minutes (not in CI): 80 % browsing
 * (the landing list and searches), 15 % product pages, 5 % checkouts of demo products, sent at a
 * fixed rate whatever the answers take (open loop). Samples the resident memory of every process
 * over time, counts errors by code, and at the end checks, for every product, that its stock
 * plus the units sold since the start equals its starting stock. Starts its own shop on a fresh
 * FerretDB, like `npm run bench` (same harness: test/support/stack.ts and scripts/bench/*).
 *
 *   npm run bench:soak                           10 minutes at 20 requests/s
 *   npm run bench:soak -- --minutes 30 --rate 50
 *   npm run bench:soak -- --seconds 20           a short run (the CI smoke uses 5)
 *   npm run bench:soak -- --out <dir>            results there (default bench/results)
 *
 * Exits 1 when a request failed or a product's stock does not add up. Memory is reported, not
 * judged: growth is the last quarter's mean RSS against the first quarter's.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, startFerretDB } from '../ferretdb';
import { startSmtp } from '../../test/support/smtp';
import { startTestStack } from '../../test/support/stack';
import { memoryByProcess } from './cpu';
import { call, setUp } from './fixtures';
import { contract, LANDING, PRODUCT_PAGE } from './operations';
import { checkout, loadAverage, machine } from './report';
import { latencies, type Latencies } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');
const started = Date.now();
const log = (message: string) => console.error(`soak ${((Date.now() - started) / 1000).toFixed(0)} s: ${message}`);

/** Requests in flight beyond which a new one is not sent but counted as shed (the shop is behind). */
const MAX_IN_FLIGHT = 200;
const SEARCHES = ['lamp', 'mug', 'garden chair', 'everyday use', 'cotton', 'steel', 'blue', 'kitchen knife'];
const CATEGORIES = [undefined, 'kitchen', 'garden', 'office'];

type Kind = 'browse' | 'product page' | 'checkout';

export interface SoakReport {
  date: string;
  code: ReturnType<typeof checkout>;
  machine: ReturnType<typeof machine>;
  parameters: { seconds: number; rate: number; sampleSeconds: number };
  requests: Record<Kind, Latencies & { errors: number }>;
  sent: number;
  shed: number;
  /** Errors by code (or HTTP status / failure), with one example each. */
  errors: Record<string, { count: number; example: string }>;
  /** Checkouts refused because the product ran out: expected, not errors. */
  outOfStock: number;
  /** RSS in MiB per process at each sample, seconds since the start. */
  memory: { at: number; rss: Record<string, number> }[];
  memoryGrowth: Record<string, { firstQuarterMiB: number; lastQuarterMiB: number; growthPercent: number }>;
  stock: { products: number; unitsSold: number; ordersPlaced: number; mismatches: { id: string; start: number; now: number; sold: number }[] };
}

const STOCKS = `query($after: String) { products(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id stock } } } }`;
const ORDERS_PAGE = `query($after: String) { orders(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { number status items { product { id } quantity } } } } }`;

async function stocks(url: string): Promise<Map<string, number>> {
  const all = new Map<string, number>();
  for (let after: string | null = null, more = true; more; ) {
    const page: any = (await call(url, STOCKS, { after })).products;
    for (const e of page.edges) all.set(e.node.id, e.node.stock);
    [after, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
  }
  return all;
}

/** Units sold per product by orders numbered above `since` and not cancelled, as the shop stored them. */
async function unitsSold(url: string, admin: string, since: number): Promise<{ sold: Map<string, number>; orders: number }> {
  const sold = new Map<string, number>();
  let orders = 0;
  for (let after: string | null = null, more = true; more; ) {
    const page: any = (await call(url, ORDERS_PAGE, { after }, admin)).orders;
    for (const { node } of page.edges) {
      if (node.number <= since) return { sold, orders };
      if (node.status === 'CANCELLED') continue;
      orders++;
      for (const item of node.items) sold.set(item.product.id, (sold.get(item.product.id) ?? 0) + item.quantity);
    }
    [after, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
  }
  return { sold, orders };
}

export function markdown(r: SoakReport): string {
  const names = Object.keys(r.memoryGrowth);
  const lines = [
    `# Soak: ${r.parameters.seconds} s at ${r.parameters.rate} requests/s, ${r.code.commit.slice(0, 7)}${r.code.dirty ? ' (dirty)' : ''}`,
    '',
    `${r.date}; ${r.machine.cores} cores, load average ${r.machine.loadAverage.start.join(' ')} at the start. Sent ${r.sent}, shed ${r.shed} (over ${MAX_IN_FLIGHT} in flight).`,
    '',
    '| requests | count | p50 ms | p99 ms | errors |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(r.requests).map(([kind, l]) => `| ${kind} | ${l.count} | ${l.p50 ?? '—'} | ${l.p99 ?? '—'} | ${l.errors} |`),
    '',
    `Checkouts refused as out of stock (not errors): ${r.outOfStock}. Errors: ${Object.keys(r.errors).length ? Object.entries(r.errors).map(([code, e]) => `${code} ${e.count} (${e.example})`).join('; ') : 'none'}.`,
    '',
    `Stock: ${r.stock.products} products, ${r.stock.ordersPlaced} orders, ${r.stock.unitsSold} units sold; stock + sold = starting stock for ${r.stock.products - r.stock.mismatches.length} of ${r.stock.products}.`,
    '',
    '| RSS MiB | first quarter | last quarter | growth |',
    '| --- | ---: | ---: | ---: |',
    ...names.map((n) => `| ${n} | ${r.memoryGrowth[n].firstQuarterMiB.toFixed(0)} | ${r.memoryGrowth[n].lastQuarterMiB.toFixed(0)} | ${r.memoryGrowth[n].growthPercent.toFixed(1)} % |`),
    '',
    `Samples (s: ${names.join(', ')}):`,
    '',
    ...r.memory.map((m) => `- ${m.at}: ${names.map((n) => (m.rss[n] ?? 0).toFixed(0)).join(', ')}`),
    '',
  ];
  return lines.join('\n');
}

async function main() {
  const { values: args } = parseArgs({
    options: { minutes: { type: 'string' }, seconds: { type: 'string' }, rate: { type: 'string' }, out: { type: 'string' } },
  });
  const seconds = args.seconds ? Number(args.seconds) : Number(args.minutes ?? 10) * 60;
  const rate = Number(args.rate ?? 20);
  if (!(seconds > 0 && rate > 0)) throw new Error('--seconds/--minutes and --rate must be positive numbers');
  const sampleSeconds = Math.max(1, Math.min(10, Math.floor(seconds / 10)));

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shop-soak-'));
  const db = await startFerretDB(dataDir, await freePort());
  const smtp = await startSmtp();
  try {
    log('starting the shop');
    const { stack, env } = await startTestStack('soak', { MONGO_URL: db.url, SMTP_URL: smtp.url, LOG_LEVEL: 'error', ACCESS_TOKEN_TTL_SECONDS: '3600' });
    try {
      const url = stack.routerUrl;
      const fixtures = await setUp(url, env, 10, 1);
      const startStock = await stocks(url);
      const lastNumber = (await call(url, `{ orders(first: 1) { edges { node { number } } } }`, {}, fixtures.adminToken)).orders.edges[0]?.node.number ?? 0;
      // Checkouts buy demo products with stock, one or two at a time, so some run out: real contention.
      const forSale = fixtures.productIds.filter((id) => (startStock.get(id) ?? 0) > 0).slice(0, 100);

      const times: Record<Kind, number[]> = { browse: [], 'product page': [], checkout: [] };
      const failed: Record<Kind, number> = { browse: 0, 'product page': 0, checkout: 0 };
      const errors: SoakReport['errors'] = {};
      let outOfStock = 0;
      let sent = 0;
      let shed = 0;
      let inFlight = 0;
      const memory: SoakReport['memory'] = [];
      const noteError = (kind: Kind, code: string, example: string) => {
        failed[kind]++;
        (errors[code] ??= { count: 0, example: example.slice(0, 200) }).count++;
      };

      async function one(n: number) {
        const roll = n % 20; // 16 browse, 3 product pages, 1 checkout in every 20
        let kind: Kind;
        let body: { query: string; variables: Record<string, unknown> };
        let token: string | undefined;
        if (roll < 16) {
          kind = 'browse';
          body = n % 4 === 0
            ? { query: LANDING, variables: {} }
            : { query: contract.PRODUCTS, variables: { first: 20, search: SEARCHES[n % SEARCHES.length], category: CATEGORIES[n % CATEGORIES.length] } };
        } else if (roll < 19) {
          kind = 'product page';
          body = { query: PRODUCT_PAGE, variables: { id: fixtures.productIds[n % fixtures.productIds.length], first: 10 } };
        } else {
          kind = 'checkout';
          const buyer = fixtures.buyers[n % fixtures.buyers.length];
          token = buyer.token;
          body = { query: contract.PLACE_ORDER, variables: { items: [{ productId: forSale[n % forSale.length], quantity: 1 + (n % 2) }] } };
        }
        const t0 = Date.now();
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(60_000),
          });
          const text = await res.text();
          times[kind].push(Date.now() - t0);
          const answer = JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
          const code = answer.errors?.[0]?.extensions?.code;
          if (code === 'OUT_OF_STOCK' && kind === 'checkout') outOfStock++;
          else if (res.status !== 200 || answer.errors) noteError(kind, code ?? `HTTP ${res.status}`, text);
        } catch (err) {
          noteError(kind, (err as Error).name === 'TimeoutError' ? 'timeout' : 'no answer', String(err));
        }
      }

      log(`${seconds} s of mixed traffic at ${rate} requests/s (${forSale.length} products for sale)`);
      const end = Date.now() + seconds * 1000;
      const pending = new Set<Promise<void>>();
      const sampler = setInterval(() => memory.push({ at: Math.round((Date.now() - (end - seconds * 1000)) / 1000), rss: memoryByProcess() }), sampleSeconds * 1000);
      memory.push({ at: 0, rss: memoryByProcess() });
      for (let n = 0, next = Date.now(); Date.now() < end; n++) {
        next += 1000 / rate;
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
        if (inFlight >= MAX_IN_FLIGHT) {
          shed++;
          continue;
        }
        sent++;
        inFlight++;
        const p = one(n).finally(() => {
          inFlight--;
          pending.delete(p);
        });
        pending.add(p);
      }
      await Promise.all(pending);
      clearInterval(sampler);
      memory.push({ at: seconds, rss: memoryByProcess() });

      log('checking stock against the units sold');
      const endStock = await stocks(url);
      const { sold, orders } = await unitsSold(url, fixtures.adminToken, lastNumber);
      const mismatches = [...startStock].flatMap(([id, start]) => {
        const now = endStock.get(id) ?? NaN;
        const s = sold.get(id) ?? 0;
        return now + s === start ? [] : [{ id, start, now, sold: s }];
      });

      const names = [...new Set(memory.flatMap((m) => Object.keys(m.rss)))];
      const quarter = Math.max(1, Math.floor(memory.length / 4));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      const memoryGrowth = Object.fromEntries(
        names.map((n) => {
          const first = mean(memory.slice(0, quarter).map((m) => m.rss[n] ?? 0));
          const last = mean(memory.slice(-quarter).map((m) => m.rss[n] ?? 0));
          return [n, { firstQuarterMiB: first, lastQuarterMiB: last, growthPercent: first ? ((last - first) / first) * 100 : 0 }];
        }),
      );
      const host = machine('FerretDB');
      const report: SoakReport = {
        date: new Date().toISOString(),
        code: checkout(ROOT),
        machine: { ...host, loadAverage: { ...host.loadAverage, end: loadAverage() } },
        parameters: { seconds, rate, sampleSeconds },
        requests: Object.fromEntries((Object.keys(times) as Kind[]).map((k) => [k, { ...latencies(times[k]), errors: failed[k] }])) as SoakReport['requests'],
        sent,
        shed,
        errors,
        outOfStock,
        memory,
        memoryGrowth,
        stock: { products: startStock.size, unitsSold: [...sold.values()].reduce((a, b) => a + b, 0), ordersPlaced: orders, mismatches },
      };
      const text = markdown(report);
      console.log(text);
      const dir = path.resolve(args.out ?? path.join(ROOT, 'bench', 'results'));
      mkdirSync(dir, { recursive: true });
      const base = path.join(dir, `soak-${report.date.slice(0, 10)}-${report.code.commit.slice(0, 7)}`);
      writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(`${base}.md`, text);
      log(`wrote ${base}.json and .md`);
      if (Object.keys(errors).length || mismatches.length) process.exitCode = 1;
    } finally {
      await stack.stop();
    }
  } finally {
    await smtp.stop();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
