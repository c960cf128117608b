import { orderCreatedMessage, orderStatusMessage, promotionMessage, type OrderEventData } from '../src/domain/templates';

const order: OrderEventData = {
  orderId: 'o1',
  number: 42,
  status: 'SHIPPED',
  items: [
    { name: 'Teapot', quantity: 2, unitPriceCents: 1250 },
    { name: 'Cups <set of 4>', quantity: 1, unitPriceCents: 999 },
  ],
  currency: 'EUR',
  subtotalCents: 3499,
  discountCents: 350,
  totalCents: 3149,
  promoCode: 'CHAT10',
};

describe('order emails', () => {
  it('show the number, every line, the discount and the totals, in English', () => {
    const message = orderCreatedMessage(order, { name: 'Ann', locale: 'en' });
    expect(message.subject).toBe('Your order #42 is confirmed');
    expect(message.text.split('\n')).toEqual([
      'Hello Ann,',
      '',
      'Thank you for your order #42. Here is what you ordered:',
      '',
      '2 × Teapot — €25.00',
      '1 × Cups <set of 4> — €9.99',
      'Subtotal: €34.99',
      'Discount (CHAT10): -€3.50',
      'Total: €31.49',
      '',
      'See you soon at the shop.',
      '',
    ]);
    // The HTML part has the same lines, escaped.
    expect(message.html).toContain('<li>1 × Cups &#60;set of 4&#62; — €9.99</li>');
    expect(message.html).toContain('<li>Total: €31.49</li>');
  });

  it('speak French to a French customer, with French money and status words', () => {
    const message = orderStatusMessage(order, { name: 'Camille', locale: 'fr' });
    expect(message.subject).toBe('Votre commande n°42 est expédiée');
    expect(message.text).toContain('Votre commande n°42 est désormais expédiée.');
    expect(message.text.replace(/\u202f|\u00a0/g, ' ')).toContain('Total: 31,49 €');
    expect(message.sms).toBe('Votre commande n°42 est expédiée.');
  });

  it('leave the discount line out when there is none, and fall back to English for other locales', () => {
    const message = orderStatusMessage({ ...order, status: 'CANCELLED', discountCents: 0, totalCents: 3499, promoCode: null }, { name: 'Jo', locale: 'de' });
    expect(message.subject).toBe('Your order #42 is cancelled');
    expect(message.text).not.toContain('Discount');
    expect(message.text).toContain('Total: €34.99');
  });
});

it('a promotion email carries its code and description', () => {
  const message = promotionMessage({ code: 'SPRING', description: '15% off teapots' }, { name: 'Ann', locale: 'en' });
  expect(message.subject).toBe('A new offer for you: SPRING');
  expect(message.text).toContain('15% off teapots');
});
