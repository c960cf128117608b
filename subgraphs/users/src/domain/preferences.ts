import { createEvent, op, ShopError, type OutboxRelay } from '@shop/kernel';
import type { UserDoc, UserModel } from '../data/user-model';
import { checkLocale, checkPhone } from './validation';

export interface PreferencesInput {
  marketingOptIn?: boolean | null;
  locale?: string | null;
  phone?: string | null;
}

/** Tries before giving up when the same user's preferences keep changing underneath. */
const ATTEMPTS = 3;

/**
 * A user's own preferences: marketing emails, language, phone. Each change bumps
 * `preferencesRevision` and rides with a user.preferences_changed event in the same write
 * (outbox), so the notifications service follows it and can tell an older event from a newer.
 */
export function preferences(users: UserModel, relay: OutboxRelay) {
  return {
    async update(userId: string, input: PreferencesInput): Promise<UserDoc> {
      // Checked before any read: a bad value is BAD_USER_INPUT and changes nothing.
      const locale = input.locale == null ? undefined : checkLocale(input.locale);
      const phone = input.phone === undefined ? undefined : checkPhone(input.phone);
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        const user = await users.findById(userId, { outbox: 0, passwordHash: 0 });
        if (!user) throw new ShopError('NOT_FOUND', 'No such user');
        const revision = user.preferencesRevision ?? 0;
        const next = {
          marketingOptIn: input.marketingOptIn ?? user.marketingOptIn ?? false,
          locale: locale ?? checkLocale(user.locale),
          phone: phone === undefined ? (user.phone ?? null) : phone,
        };
        const changed = createEvent('user.preferences_changed', { userId, ...next, revision: revision + 1 });
        // Compare-and-set on the revision: of two changes at once, the second reads again.
        // `null` also matches accounts made before the field existed.
        const { modifiedCount } = await users.updateOne(
          { _id: userId, preferencesRevision: revision === 0 ? op({ $in: [0, null] }) : revision },
          { $set: { ...next, preferencesRevision: revision + 1 }, $push: { outbox: changed } },
        );
        if (!modifiedCount) continue;
        void relay.flush(user._id, [changed]);
        user.set({ ...next, preferencesRevision: revision + 1 });
        return user;
      }
      // Not expected outside of a flood of changes to one account: the client may simply retry.
      throw new ShopError('SERVICE_UNAVAILABLE', 'Your preferences changed meanwhile; try again');
    },
  };
}

export type PreferencesService = ReturnType<typeof preferences>;
