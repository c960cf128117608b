/**
 * The contract's identity operations: SignUp, LogIn, Me, RefreshSession. Makes the two customers
 * (Ann, who opts in to marketing, and Bob, who does not) and the admin's session for the areas after it.
 */
import type { Contract, Person } from './context';

export function identity(ctx: Contract) {
  const { tag, run, ok, refused, expectAccessToken } = ctx;

  describe('identity', () => {
    async function signUp(name: string, marketingOptIn: boolean): Promise<Person> {
      const email = `${name}.${tag}@Example.COM`;
      const password = `${name}-correct-horse-1`;
      const res = await run('SignUp', { email, password, name, marketingOptIn });
      const { token, refreshToken, user } = ok(res).signUp;
      expect(user).toEqual({ id: user.id, email: email.toLowerCase(), name, role: 'CUSTOMER' });
      expectAccessToken(token, user);
      expect(refreshToken.length).toBeGreaterThanOrEqual(16);
      expect(refreshToken).not.toBe(token);
      return { id: user.id, email: user.email, name, password, token, refreshToken };
    }

    it('SignUp: a new customer gets a session, an id of their own and the CUSTOMER role', async () => {
      ctx.ann = await signUp('Ann', true);
      ctx.bob = await signUp('Bob', false);
      expect(ctx.bob.id).not.toBe(ctx.ann.id);
      expect(ctx.bob.refreshToken).not.toBe(ctx.ann.refreshToken);
    });

    it('SignUp: an email taken in any case is EMAIL_TAKEN; a bad email or short password BAD_USER_INPUT', async () => {
      refused(await run('SignUp', { email: ctx.ann.email.toUpperCase(), password: 'another-long-one', name: 'Ann Again' }), 'EMAIL_TAKEN');
      refused(await run('SignUp', { email: 'not-an-email', password: 'long-enough-1', name: 'X' }), 'BAD_USER_INPUT');
      refused(await run('SignUp', { email: `short.${tag}@example.com`, password: 'short', name: 'X' }), 'BAD_USER_INPUT');
    });

    it('LogIn: the admin gets the ADMIN role; a customer logs in with any case of their email', async () => {
      const asAdmin = ok(await run('LogIn', { email: ctx.env.ADMIN_EMAIL, password: ctx.env.ADMIN_PASSWORD })).logIn;
      expect(asAdmin.user).toEqual({ id: asAdmin.user.id, email: ctx.env.ADMIN_EMAIL.toLowerCase(), name: asAdmin.user.name, role: 'ADMIN' });
      expect(asAdmin.user.name.length).toBeGreaterThan(0);
      expectAccessToken(asAdmin.token, asAdmin.user);
      ctx.admin = { id: asAdmin.user.id, email: asAdmin.user.email, name: asAdmin.user.name, token: asAdmin.token };

      const asAnn = ok(await run('LogIn', { email: ctx.ann.email.toUpperCase(), password: ctx.ann.password })).logIn;
      expect(asAnn.user).toEqual({ id: ctx.ann.id, email: ctx.ann.email, name: 'Ann', role: 'CUSTOMER' });
      expectAccessToken(asAnn.token, asAnn.user);
      expect(asAnn.refreshToken).not.toBe(ctx.ann.refreshToken);
    });

    it('LogIn: a wrong password is INVALID_CREDENTIALS, as an unknown email is', async () => {
      refused(await run('LogIn', { email: ctx.ann.email, password: 'wrong-password-1' }), 'INVALID_CREDENTIALS');
      refused(await run('LogIn', { email: `nobody.${tag}@example.com`, password: 'wrong-password-1' }), 'INVALID_CREDENTIALS');
    });

    it('Me: null for the visitor; the signed-in user, with their role, otherwise', async () => {
      expect(ok(await run('Me'))).toEqual({ me: null });
      expect(ok(await run('Me', {}, ctx.ann.token))).toEqual({ me: { id: ctx.ann.id, email: ctx.ann.email, name: 'Ann', role: 'CUSTOMER' } });
      expect(ok(await run('Me', {}, ctx.bob.token))).toEqual({ me: { id: ctx.bob.id, email: ctx.bob.email, name: 'Bob', role: 'CUSTOMER' } });
      expect(ok(await run('Me', {}, ctx.admin.token))).toEqual({ me: { id: ctx.admin.id, email: ctx.admin.email, name: ctx.admin.name, role: 'ADMIN' } });
    });

    it('RefreshSession: rotates the pair; a spent token is UNAUTHENTICATED and revokes the newer one', async () => {
      const session = ok(await run('LogIn', { email: ctx.bob.email, password: ctx.bob.password })).logIn;
      const first = expectAccessToken(session.token, { id: ctx.bob.id, email: ctx.bob.email, role: 'CUSTOMER' });

      const rotated = ok(await run('RefreshSession', { refreshToken: session.refreshToken })).refreshSession;
      expect(rotated.refreshToken).not.toBe(session.refreshToken);
      const second = expectAccessToken(rotated.token, { id: ctx.bob.id, email: ctx.bob.email, role: 'CUSTOMER' });
      expect(second.iat).toBeGreaterThanOrEqual(first.iat);
      expect(ok(await run('Me', {}, rotated.token)).me.id).toBe(ctx.bob.id);

      refused(await run('RefreshSession', { refreshToken: session.refreshToken }), 'UNAUTHENTICATED');
      // Presenting the spent one revoked its whole session: the newer refresh token is dead too.
      refused(await run('RefreshSession', { refreshToken: rotated.refreshToken }), 'UNAUTHENTICATED');
      refused(await run('RefreshSession', { refreshToken: 'never-issued' }), 'UNAUTHENTICATED');
      // Another session of the same user is untouched.
      const other = ok(await run('RefreshSession', { refreshToken: ctx.bob.refreshToken })).refreshSession;
      expect(other.refreshToken).not.toBe(ctx.bob.refreshToken);
      expectAccessToken(other.token, { id: ctx.bob.id, email: ctx.bob.email, role: 'CUSTOMER' });
    });
  });
}
