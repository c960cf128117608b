/**
 * The container's HEALTHCHECK: exits 0 when the process named by SHOP_PROCESS answers its
 * health endpoint on PORT (or its default port), 1 otherwise.
 */
import { shopProcess } from './processes';

const spec = shopProcess(process.env.SHOP_PROCESS ?? '');
if (!spec.healthPath) {
  // The worker listens on no port: its health is its process, which the orchestrator restarts.
  console.log(`${spec.name} serves no HTTP; healthy while it runs`);
  process.exit(0);
}
const url = `http://127.0.0.1:${process.env.PORT || spec.port}${spec.healthPath}`;
fetch(url, { signal: AbortSignal.timeout(3000) }).then(
  (res) => {
    console.log(`${url}: ${res.status}`);
    process.exit(res.ok ? 0 : 1);
  },
  (err) => {
    console.log(`${url}: ${(err as Error).message}`);
    process.exit(1);
  },
);
