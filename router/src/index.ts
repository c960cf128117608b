import { createLogger, loadConfig, runService } from '@shop/kernel';
import { startRouter } from './router';

const config = loadConfig('router');
const logger = createLogger('router');

runService(logger, async () => {
  const router = await startRouter(config, logger);
  return [router.stop];
});
