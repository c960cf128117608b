import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startFerretDB, type EmbeddedDatabase } from '../../scripts/ferretdb';

declare global {
  // eslint-disable-next-line no-var
  var __FERRETDB__: EmbeddedDatabase | undefined;
}

/** Tests get their own FerretDB (or MONGO_URL when set); each test then uses its own databases. */
export default async function globalSetup() {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  if (process.env.MONGO_URL) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shop-test-db-'));
  globalThis.__FERRETDB__ = await startFerretDB(dir, await freePort());
  process.env.MONGO_URL = globalThis.__FERRETDB__.url;
}
