import type { AuthContext } from '@shop/kernel';
import type { RecommenderContext } from './domain/recommender';

export interface Context extends AuthContext, RecommenderContext {}
