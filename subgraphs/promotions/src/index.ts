import { rekeyBy, runSubgraph } from '@shop/kernel';
import { resolvers } from './resolvers';
import { customerUseModel, promotionModel, redemptionModel } from './data/promotion-model';
import { promotionsDesk } from './domain/redemptions';

runSubgraph('promotions', async ({ models, outbox }) => {
  const { promotions, redemptions, uses } = await models((db) => ({
    promotions: promotionModel(db),
    redemptions: redemptionModel(db),
    uses: customerUseModel(db),
  }));
  await rekeyBy(redemptions, 'orderId');
  const desk = promotionsDesk(promotions, redemptions, uses, outbox(promotions));
  await desk.ensureDefaults();
  return { resolvers, context: (auth) => ({ ...auth, promotions, desk }) };
});
