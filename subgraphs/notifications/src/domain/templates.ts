export interface OrderEventData {
  orderId: string;
  number: number;
  status: string;
  items: { name: string; quantity: number; unitPriceCents: number }[];
  currency: string;
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  promoCode?: string | null;
}

export interface Message {
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function formatMoney(cents: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency }).format(cents / 100);
}

const WORDS = {
  en: {
    subject: (n: number) => `Your order #${n} is confirmed`,
    hello: (name: string) => `Hello ${name},`,
    intro: (n: number) => `Thank you for your order #${n}. Here is what you ordered:`,
    subtotal: 'Subtotal',
    discount: 'Discount',
    total: 'Total',
  },
  fr: {
    subject: (n: number) => `Votre commande n°${n} est confirmée`,
    hello: (name: string) => `Bonjour ${name},`,
    intro: (n: number) => `Merci pour votre commande n°${n}. Voici votre commande :`,
    subtotal: 'Sous-total',
    discount: 'Remise',
    total: 'Total',
  },
};

/** The order confirmation, in the customer's language, as plain text and HTML. */
export function orderCreatedMessage(order: OrderEventData, recipient: { name: string; locale: string }): Message {
  const lang = recipient.locale === 'fr' ? 'fr' : 'en';
  const w = WORDS[lang];
  const m = (cents: number) => formatMoney(cents, order.currency, lang);
  const lines = order.items.map((i) => `${i.quantity} × ${i.name} — ${m(i.unitPriceCents * i.quantity)}`);
  const totals = [
    `${w.subtotal}: ${m(order.subtotalCents)}`,
    ...(order.discountCents ? [`${w.discount} (${order.promoCode}): -${m(order.discountCents)}`] : []),
    `${w.total}: ${m(order.totalCents)}`,
  ];
  const text = [w.hello(recipient.name), '', w.intro(order.number), '', ...lines, '', ...totals, ''].join('\n');
  const html =
    `<p>${escape(w.hello(recipient.name))}</p><p>${escape(w.intro(order.number))}</p>` +
    `<ul>${lines.map((l) => `<li>${escape(l)}</li>`).join('')}</ul>` +
    `<p>${totals.map(escape).join('<br>')}</p>`;
  return { subject: w.subject(order.number), text, html };
}
