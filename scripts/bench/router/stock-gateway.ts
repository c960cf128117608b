/**
 * The bench's reference: a stock @apollo/gateway with @apollo/server's standalone server and
 * their default settings, on SUPERGRAPH_FILE and PORT. Usage reporting is off (it would need an
 * Apollo key and the network anyway).
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';

process.env.APOLLO_TELEMETRY_DISABLED = 'true';

async function main() {
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(process.env.SUPERGRAPH_FILE!, 'utf8') });
  const server = new ApolloServer({ gateway, plugins: [ApolloServerPluginUsageReportingDisabled()] });
  const { url } = await startStandaloneServer(server, { listen: { port: Number(process.env.PORT), host: '127.0.0.1' } });
  console.log(`stock gateway ready at ${url}`);
  process.on('SIGTERM', () => void server.stop().finally(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
