/**
 * /readyz waits for the order-change queue: a router that reported ready before its queue was
 * bound lost the changes published in between for its subscribers. Once bound, a broker outage
 * does not make it unready (its durable queue keeps the changes). A real router process and the
 * real RabbitMQ, behind a proxy the test cuts.
 */
import { eventually } from '../../test/support/graphql';
import { tcpProxy } from '../../test/support/tcp-proxy';
import { startRouterProcess } from './support/router-process';

type Readiness = { status: number; body: { status: string; subgraphs: Record<string, boolean>; orderChanges: boolean } };

test('the router is ready once every subgraph answers and its order-change queue is bound, and stays so in a broker outage', async () => {
  const broker = await tcpProxy(5672);
  await broker.cut();
  const router = await startRouterProcess({ LOG_LEVEL: 'error', AMQP_URL: `amqp://guest:guest@127.0.0.1:${broker.port}` });
  const readiness = async (): Promise<Readiness | undefined> => {
    try {
      const res = await fetch(`${router.url}/readyz`);
      return { status: res.status, body: (await res.json()) as Readiness['body'] };
    } catch {
      return undefined; // not listening yet
    }
  };
  try {
    const unbound = await eventually(async () => {
      const r = await readiness();
      return r && Object.values(r.body.subgraphs).every(Boolean) ? r : undefined;
    }, 30_000, 200);
    expect(unbound).toEqual({ status: 503, body: { status: 'not ready', subgraphs: { products: true, reviews: true, users: true }, orderChanges: false } });

    await broker.open();
    const bound = await eventually(async () => ((await readiness())?.status === 200 ? readiness() : undefined), 30_000, 200);
    expect(bound!.body).toEqual({ status: 'ready', subgraphs: { products: true, reviews: true, users: true }, orderChanges: true });

    await broker.cut();
    expect((await readiness())!.status).toBe(200);
  } finally {
    await router.stop();
    await broker.cut();
  }
}, 60_000);
