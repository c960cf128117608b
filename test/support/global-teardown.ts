import { rmSync } from 'node:fs';
import path from 'node:path';

export default async function globalTeardown() {
  const db = globalThis.__FERRETDB__;
  await db?.stop();
  if (db) rmSync(path.dirname(db.dataDir), { recursive: true, force: true });
}
