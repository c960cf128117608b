import mongoose from 'mongoose';
import { promotionModel } from '../src/data/promotion-model';
import { checkNewPromotion, discountFor, isActive, refusalFor, type PromotionTerms } from '../src/domain/rules';

const now = new Date('2026-06-01T12:00:00Z');
const code = (terms: Partial<PromotionTerms>, subtotal = 10_000, currency = 'EUR') => {
  const refusal = refusalFor({ code: 'X', enabled: true, ...terms }, subtotal, currency, now);
  return refusal && [refusal.extensions.code, refusal.extensions.reason];
};

describe('refusalFor', () => {
  it('accepts a plain enabled code', () => expect(code({})).toBeNull());
  it.each([
    [{ enabled: false }, 'INACTIVE'],
    [{ startsAt: new Date('2026-07-01') }, 'NOT_STARTED'],
    [{ endsAt: new Date('2026-05-01') }, 'EXPIRED'],
    [{ remaining: 0 }, 'EXHAUSTED'],
    [{ minSubtotalCents: 10_001 }, 'MIN_SUBTOTAL'],
  ])('%j is refused with reason %s', (terms, reason) => expect(code(terms)).toEqual(['PROMO_CODE_INVALID', reason]));
  it('a code whose end is exactly now has expired; a subtotal equal to the minimum is enough', () => {
    expect(code({ endsAt: now })).toEqual(['PROMO_CODE_INVALID', 'EXPIRED']);
    expect(code({ minSubtotalCents: 10_000 })).toBeNull();
  });
  it('an amount off or a minimum subtotal applies in its own currency only; a percentage in any', () => {
    expect(code({ amountOffCents: 500 }, 10_000, 'USD')).toEqual(['PROMO_CODE_INVALID', 'CURRENCY']);
    expect(code({ percentOff: 10, minSubtotalCents: 100 }, 10_000, 'JPY')).toEqual(['PROMO_CODE_INVALID', 'CURRENCY']);
    expect(code({ amountOffCents: 500, currency: 'USD' }, 10_000, 'USD')).toBeNull();
    expect(code({ amountOffCents: 500 }, 10_000, 'EUR')).toBeNull();
    expect(code({ percentOff: 10 }, 10_000, 'JPY')).toBeNull();
  });
  it('isActive ignores the subtotal minimum', () => expect(isActive({ code: 'X', enabled: true, minSubtotalCents: 99_999 }, now)).toBe(true));
});

describe('on hydrated mongoose documents, as the resolvers and the desk get them', () => {
  // A connection that never connects: the real schema, documents built in memory only.
  const db = mongoose.createConnection();
  const Promotion = promotionModel(db);
  afterAll(() => db.close());
  const stored = (input: Parameters<typeof checkNewPromotion>[0], extra: object = {}) =>
    Promotion.hydrate({ _id: new mongoose.Types.ObjectId(), enabled: true, redemptionCount: 0, ...checkNewPromotion(input), ...extra });

  it('a fresh code, built or read back, is active', () => {
    const chat10 = { code: 'chat10', description: '10% off your order', percentOff: 10 };
    expect(isActive(new Promotion(checkNewPromotion(chat10)), now)).toBe(true);
    expect(isActive(stored(chat10), now)).toBe(true);
    expect(refusalFor(stored(chat10), 1, 'EUR', now)).toBeNull();
  });
  it('a minimum subtotal does not make a code inactive, but still refuses a small basket', () => {
    const big = stored({ code: 'BIG', description: 'd', percentOff: 5, minSubtotalCents: 5000 });
    expect(isActive(big, now)).toBe(true);
    expect(refusalFor(big, 4999, 'EUR', now)?.extensions.reason).toBe('MIN_SUBTOTAL');
    expect(refusalFor(big, 5000, 'EUR', now)).toBeNull();
  });
  it('a disabled, used-up, future or past code is inactive', () => {
    expect(isActive(stored({ code: 'OFF', description: 'd', percentOff: 5 }, { enabled: false }), now)).toBe(false);
    expect(isActive(stored({ code: 'USED', description: 'd', percentOff: 5, maxRedemptions: 1 }, { remaining: 0 }), now)).toBe(false);
    expect(isActive(stored({ code: 'LATER', description: 'd', percentOff: 5, startsAt: '2026-07-01T00:00:00Z' }), now)).toBe(false);
    expect(isActive(stored({ code: 'GONE', description: 'd', percentOff: 5, endsAt: '2026-05-01T00:00:00Z' }), now)).toBe(false);
  });
});

describe('discountFor', () => {
  it('rounds a percentage down, in cents', () => expect(discountFor({ code: 'X', enabled: true, percentOff: 10 }, 11_738)).toBe(1173));
  it('never takes more than the subtotal', () => expect(discountFor({ code: 'X', enabled: true, amountOffCents: 5000 }, 1200)).toBe(1200));
});

describe('checkNewPromotion', () => {
  const bad = (input: object) => {
    try {
      checkNewPromotion({ code: 'SPRING', description: 'd', ...input });
      return 'accepted';
    } catch (err) {
      return (err as { extensions: { code: string; field?: string } }).extensions.field;
    }
  };
  it('normalises the code to upper case and copies the limit to remaining', () => {
    expect(checkNewPromotion({ code: ' spring-25 ', description: 'd', percentOff: 25, maxRedemptions: 10 })).toMatchObject({ code: 'SPRING-25', remaining: 10 });
  });
  it('refuses bad input, naming the field', () => {
    expect(bad({})).toBe('percentOff');
    expect(bad({ percentOff: 10, amountOffCents: 100 })).toBe('percentOff');
    expect(bad({ percentOff: 101 })).toBe('percentOff');
    expect(bad({ percentOff: 10, code: 'a b' })).toBe('code');
    expect(bad({ percentOff: 10, startsAt: 'tomorrow' })).toBe('startsAt');
    expect(bad({ percentOff: 10, startsAt: '2026-02-01', endsAt: '2026-01-01' })).toBe('endsAt');
    expect(bad({ percentOff: 10, maxRedemptions: 0 })).toBe('maxRedemptions');
    expect(bad({ amountOffCents: 500 })).toBe('accepted');
  });
});
