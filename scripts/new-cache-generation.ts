/**
 * `npm run cache:new-generation`: after restoring a service database from a backup, gives each
 * service database a new cache generation (kernel shop.ts), so no value cached from the data
 * before the restore is ever read. Run it with the shop's processes stopped (they read the
 * generation at start), against the restored server: MONGO_URL, else the embedded FerretDB of
 * `npm start` (FERRETDB_PORT), which must then be running.
 */
import mongoose from 'mongoose';
import { loadSupervisorConfig } from '../packages/kernel/src/config';
import { renewCacheGeneration } from '../packages/kernel/src/shop';
import { SUBGRAPHS } from '../packages/kernel/src/subgraphs';

async function main() {
  const settings = loadSupervisorConfig();
  const dbPrefix = process.env.DB_PREFIX || 'shop_';
  const url = settings.mongoUrl ?? `mongodb://127.0.0.1:${settings.ferretdbPort}/`;
  const connection = mongoose.createConnection(url, { serverSelectionTimeoutMS: 5000, retryWrites: false, maxPoolSize: 1 });
  try {
    await connection.asPromise();
    for (const { name } of SUBGRAPHS) {
      const generation = await renewCacheGeneration(connection.useDb(`${dbPrefix}${name}`));
      console.log(`${dbPrefix}${name}: cache generation ${generation}`);
    }
  } finally {
    await connection.close();
  }
  console.log('start the shop again: its processes read the new generations at start');
}

main().catch((err) => {
  console.error(`cache:new-generation: ${(err as Error).message}`);
  process.exit(1);
});
