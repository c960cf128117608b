import { runProcess } from '@shop/kernel';
import { startRouter } from './router';

runProcess('router', async (config, logger) => (await startRouter(config, logger)).stop);
