import type { AuthContext } from '@shop/kernel';
import type { PromotionModel } from './data/promotion-model';
import type { PromotionsDesk } from './domain/redemptions';

export interface Context extends AuthContext {
  promotions: PromotionModel;
  desk: PromotionsDesk;
}
