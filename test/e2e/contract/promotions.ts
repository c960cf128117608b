/**
 * The contract's promotion operations: PromotionByCode, CreatePromotion. Makes the code usable
 * once and the code that starts next month, which the orders use.
 */
import type { Contract } from './context';

export function promotions(ctx: Contract) {
  const { TAG, run, ok, refused, money } = ctx;

  describe('promotions', () => {
    const chat10 = { code: 'CHAT10', description: '10% off your order', percentOff: 10, amountOff: null, active: true };

    it('PromotionByCode: CHAT10 for everyone, active, in any case; an unknown code is null', async () => {
      for (const token of [undefined, ctx.ann.token, ctx.admin.token])
        expect(ok(await run('PromotionByCode', { code: 'cHaT10' }, token))).toEqual({ promotion: chat10 });
      expect(ok(await run('PromotionByCode', { code: `NOPE-${TAG}` }))).toEqual({ promotion: null });
    });

    it('CreatePromotion: an admin creates amount-off and percent-off codes; active follows their terms', async () => {
      ctx.once = `ONCE-${TAG}`;
      ctx.later = `LATER-${TAG}`;
      const made = ok(await run('CreatePromotion', { input: { code: ctx.once.toLowerCase(), description: '3 euros off, once', amountOffCents: 300, maxRedemptions: 1 } }, ctx.admin.token)).createPromotion;
      expect(made).toEqual({ id: made.id, code: ctx.once, percentOff: null, amountOff: money(300), active: true });
      const startsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const soon = ok(await run('CreatePromotion', { input: { code: ctx.later, description: 'Next month', percentOff: 5, startsAt } }, ctx.admin.token)).createPromotion;
      expect(soon).toEqual({ id: soon.id, code: ctx.later, percentOff: 5, amountOff: null, active: false });
      expect(soon.id).not.toBe(made.id);

      expect(ok(await run('PromotionByCode', { code: ctx.once }))).toEqual({
        promotion: { code: ctx.once, description: '3 euros off, once', percentOff: null, amountOff: money(300), active: true },
      });
      expect(ok(await run('PromotionByCode', { code: ctx.later.toLowerCase() }))).toEqual({
        promotion: { code: ctx.later, description: 'Next month', percentOff: 5, amountOff: null, active: false },
      });
      refused(await run('CreatePromotion', { input: { code: ctx.once.toLowerCase(), description: 'again', percentOff: 1 } }, ctx.admin.token), 'BAD_USER_INPUT');
      refused(await run('CreatePromotion', { input: { code: `BOTH-${TAG}`, description: 'd', percentOff: 1, amountOffCents: 1 } }, ctx.admin.token), 'BAD_USER_INPUT');
    });

    it('CreatePromotion: a customer gets FORBIDDEN, the visitor UNAUTHENTICATED, and no code is made', async () => {
      const input = { code: `SNEAKY-${TAG}`, description: 'd', percentOff: 90 };
      refused(await run('CreatePromotion', { input }, ctx.bob.token), 'FORBIDDEN');
      refused(await run('CreatePromotion', { input }), 'UNAUTHENTICATED');
      expect(ok(await run('PromotionByCode', { code: input.code }))).toEqual({ promotion: null });
    });
  });
}
