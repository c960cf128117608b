/** Verified tokens remembered until they expire; refusals and other tokens verified afresh. */
import { rememberVerified, ShopError, type Identity, type TokenVerifier } from '../src';

function countingVerifier(expiresAt: () => number) {
  const calls: string[] = [];
  const verifier: TokenVerifier = {
    async verify(token) {
      calls.push(token);
      if (token.startsWith('bad')) throw new ShopError('UNAUTHENTICATED', 'Invalid or expired token');
      return { userId: token, role: 'CUSTOMER', email: 'a@example.com', expiresAt: expiresAt() } satisfies Identity;
    },
  };
  return { verifier, calls };
}

it('verifies a token once while it is valid, every other token and every refusal each time', async () => {
  const { verifier, calls } = countingVerifier(() => Math.floor(Date.now() / 1000) + 60);
  const remembered = rememberVerified(verifier);
  expect((await remembered.verify('t1')).userId).toBe('t1');
  expect((await remembered.verify('t1')).userId).toBe('t1');
  expect((await remembered.verify('t2')).userId).toBe('t2');
  for (let i = 0; i < 2; i++) await expect(remembered.verify('bad')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  expect(calls).toEqual(['t1', 't2', 'bad', 'bad']);
});

it('forgets a token when it expires', async () => {
  let exp = Math.floor(Date.now() / 1000) + 1;
  const { verifier, calls } = countingVerifier(() => exp);
  const remembered = rememberVerified(verifier);
  await remembered.verify('t1');
  await new Promise((r) => setTimeout(r, 1100));
  exp = Math.floor(Date.now() / 1000) + 60;
  await remembered.verify('t1');
  expect(calls).toEqual(['t1', 't1']);
});

it('keeps nothing for a token without an expiry', async () => {
  const { verifier, calls } = countingVerifier(() => 0);
  const remembered = rememberVerified(verifier);
  await remembered.verify('t1');
  await remembered.verify('t1');
  expect(calls).toEqual(['t1', 't1']);
});
