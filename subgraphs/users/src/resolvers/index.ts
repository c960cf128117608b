import { requireUser, withAccessPolicy, type AuthContext } from '@shop/kernel';
import type { Resolvers } from '../__generated__/resolvers-types';
import { identityOf, type Session } from '../domain/accounts';

/** After signing in, the rest of this request acts as that user (so `user { email }` resolves). */
function actAs(ctx: AuthContext, session: Session): Session {
  ctx.identity = identityOf(session.user);
  return session;
}

const resolverMap: Resolvers = {
  Query: {
    me: (_, __, ctx) => (ctx.identity ? ctx.userById.byId(ctx.identity.userId) : null),
  },
  Mutation: {
    signUp: async (_, { input }, ctx) => actAs(ctx, await ctx.accounts.signUp(input, ctx.clientAddress)),
    logIn: async (_, { email, password }, ctx) => actAs(ctx, await ctx.accounts.logIn(email, password, ctx.clientAddress)),
    refreshSession: async (_, { refreshToken }, ctx) => actAs(ctx, await ctx.accounts.refresh(refreshToken)),
    logOut: (_, { refreshToken }, ctx) => ctx.accounts.logOut(refreshToken),
    updatePreferences: (_, { input }, ctx) => ctx.preferences.update(requireUser(ctx).userId, input),
  },
  User: {
    __resolveReference: (ref, ctx) => ctx.userById.byId(ref.id),
    id: (user) => user.id,
    email: (user) => user.email,
    // Preferences change: read per request (batched), never from the cached account.
    marketingOptIn: async (user, _, ctx) => (await ctx.preferencesOf.load(user.id)).marketingOptIn ?? false,
    locale: async (user, _, ctx) => (await ctx.preferencesOf.load(user.id)).locale ?? 'en',
    phone: async (user, _, ctx) => (await ctx.preferencesOf.load(user.id)).phone ?? null,
    createdAt: (user) => user.createdAt.toISOString(),
  },
};

export const resolvers = withAccessPolicy(resolverMap, {
  Mutation: { logOut: 'user', updatePreferences: 'user' },
  User: { email: 'self', marketingOptIn: 'self', locale: 'self', phone: 'self' },
});
