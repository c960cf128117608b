import { isValidObjectId } from 'mongoose';
import { badInput, keptFound } from '@shop/kernel';
import type { UserDoc, UserModel } from './user-model';

/**
 * Users by id, from memory after the first read: `me` and every `User` reference the router
 * asks for would otherwise cost a database read each. Exact because an account's public fields
 * never change once created (no mutation edits them); a mutation that does must drop this.
 */
export function userCache(users: UserModel) {
  // The hash and the pending events stay out of memory.
  const read = keptFound('users', (id) => users.findById(id, { passwordHash: 0, outbox: 0 }).exec() as Promise<UserDoc | null>);
  return {
    // An entity representation is client input: only an id string may reach the filter.
    async byId(id: unknown): Promise<UserDoc | null> {
      if (typeof id !== 'string' || !isValidObjectId(id)) throw badInput('Not a user id', { field: 'id' });
      return read(id);
    },
  };
}

export type UserCache = ReturnType<typeof userCache>;
