import type { EventData } from '@shop/kernel';

type OrderEvent = EventData<'order.created'>;

/** What the templates need from an order event (any of them: they all carry the order). */
export type OrderEventData = Pick<OrderEvent, 'orderId' | 'number' | 'status' | 'currency' | 'subtotalCents' | 'discountCents' | 'totalCents' | 'promoCode'> & {
  items: Pick<OrderEvent['items'][number], 'name' | 'quantity' | 'unitPriceCents'>[];
};

export type PromotionEventData = Pick<EventData<'promotion.created'>, 'code' | 'description'>;

export interface Recipient {
  name: string;
  locale: string;
}

/** An email: subject, plain text and HTML. An SMS uses `sms`. */
export interface Message {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

type Lang = 'en' | 'fr';
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Made once per language and currency: building an Intl.NumberFormat costs far more than formatting. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

export function formatMoney(cents: number, currency: string, lang: Lang): string {
  const key = `${lang} ${currency}`;
  let format = moneyFormats.get(key);
  if (!format) moneyFormats.set(key, (format = new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency })));
  return format.format(cents / 100);
}

const STATUS_WORDS: Record<Lang, Record<string, string>> = {
  en: { CONFIRMED: 'confirmed', SHIPPED: 'shipped', DELIVERED: 'delivered', CANCELLED: 'cancelled' },
  fr: { CONFIRMED: 'confirmée', SHIPPED: 'expédiée', DELIVERED: 'livrée', CANCELLED: 'annulée' },
};

const WORDS = {
  en: {
    hello: (name: string) => `Hello ${name},`,
    created: (n: number) => ({ subject: `Your order #${n} is confirmed`, intro: `Thank you for your order #${n}. Here is what you ordered:` }),
    status: (n: number, s: string) => ({ subject: `Your order #${n} is ${s}`, intro: `Your order #${n} is now ${s}.` }),
    promotion: (code: string) => ({ subject: `A new offer for you: ${code}`, intro: `Use the code ${code} at checkout:` }),
    subtotal: 'Subtotal',
    discount: 'Discount',
    total: 'Total',
    bye: 'See you soon at the shop.',
  },
  fr: {
    hello: (name: string) => `Bonjour ${name},`,
    created: (n: number) => ({ subject: `Votre commande n°${n} est confirmée`, intro: `Merci pour votre commande n°${n}. Voici votre commande :` }),
    status: (n: number, s: string) => ({ subject: `Votre commande n°${n} est ${s}`, intro: `Votre commande n°${n} est désormais ${s}.` }),
    promotion: (code: string) => ({ subject: `Une nouvelle offre pour vous : ${code}`, intro: `Utilisez le code ${code} lors de votre commande :` }),
    subtotal: 'Sous-total',
    discount: 'Remise',
    total: 'Total',
    bye: 'À bientôt dans la boutique.',
  },
};

const langOf = (r: Recipient): Lang => (r.locale === 'fr' ? 'fr' : 'en');

function compose(lang: Lang, recipient: Recipient, subject: string, intro: string, body: string[]): Message {
  const w = WORDS[lang];
  const text = [w.hello(recipient.name), '', intro, '', ...body, ...(body.length ? [''] : []), w.bye, ''].join('\n');
  const html =
    `<p>${escape(w.hello(recipient.name))}</p><p>${escape(intro)}</p>` +
    (body.length ? `<ul>${body.map((l) => `<li>${escape(l)}</li>`).join('')}</ul>` : '') +
    `<p>${escape(w.bye)}</p>`;
  return { subject, text, html, sms: `${subject}.` };
}

/** The order's lines and totals, as lines of text. */
function orderLines(order: OrderEventData, lang: Lang): string[] {
  const w = WORDS[lang];
  const m = (cents: number) => formatMoney(cents, order.currency, lang);
  return [
    ...order.items.map((i) => `${i.quantity} × ${i.name} — ${m(i.unitPriceCents * i.quantity)}`),
    `${w.subtotal}: ${m(order.subtotalCents)}`,
    ...(order.discountCents ? [`${w.discount} (${order.promoCode}): -${m(order.discountCents)}`] : []),
    `${w.total}: ${m(order.totalCents)}`,
  ];
}

export function orderCreatedMessage(order: OrderEventData, recipient: Recipient): Message {
  const lang = langOf(recipient);
  const { subject, intro } = WORDS[lang].created(order.number);
  return compose(lang, recipient, subject, intro, orderLines(order, lang));
}

/** A status change, cancellation included. */
export function orderStatusMessage(order: OrderEventData, recipient: Recipient): Message {
  const lang = langOf(recipient);
  const { subject, intro } = WORDS[lang].status(order.number, STATUS_WORDS[lang][order.status] ?? order.status);
  return compose(lang, recipient, subject, intro, orderLines(order, lang));
}

export function promotionMessage(promotion: PromotionEventData, recipient: Recipient): Message {
  const lang = langOf(recipient);
  const { subject, intro } = WORDS[lang].promotion(promotion.code);
  return compose(lang, recipient, subject, intro, [promotion.description]);
}
