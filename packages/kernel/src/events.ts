import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/*
 * The catalogue of domain events on `shop.events`: each type with its version and the schema of
 * its data. Publishers build events with createEvent, which checks them before they reach an
 * outbox; consumers read them with parseEvent, so a handler only ever sees what its schema
 * accepts. The bounds are the publishers' own input rules: anything larger or stranger is a bug
 * or forged. Unknown fields are dropped, not refused, so a publisher may add one without its
 * events dead-lettering at consumers that do not know it yet.
 */

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'expected a 24-hex ObjectId');
const cents = z.int32().min(0);
const dateTime = z.iso.datetime();
const orderStatus = z.enum(['CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED']);
const promoCode = z.string().regex(/^[A-Z0-9_-]{3,32}$/, 'expected a promotion code');
/** E.164: a plus, then at most 15 digits, the first not 0. */
const phone = z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected an E.164 phone number');

/** What every order event carries, so consumers need not call the orders service back. */
const order = z.object({
  orderId: objectId,
  number: z.int32().min(1),
  customerId: objectId,
  status: orderStatus,
  items: z
    .array(z.object({ productId: objectId, name: z.string().min(1).max(200), quantity: z.int32().min(1), unitPriceCents: cents }))
    .min(1)
    .max(100),
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code'),
  subtotalCents: cents,
  discountCents: cents,
  totalCents: cents,
  promoCode: promoCode.nullable(),
  createdAt: dateTime,
});

export const EVENTS = {
  'user.registered': {
    version: 1,
    data: z.object({
      userId: objectId,
      email: z.email().max(254),
      name: z.string().min(1).max(100),
      locale: z.enum(['en', 'fr']),
      phone: phone.nullish(),
      marketingOptIn: z.boolean(),
    }),
  },
  /** The preferences after a change; `revision` counts changes per user, so an older one arriving late is ignored. */
  'user.preferences_changed': {
    version: 1,
    data: z.object({
      userId: objectId,
      locale: z.enum(['en', 'fr']),
      phone: phone.nullable(),
      marketingOptIn: z.boolean(),
      revision: z.int32().min(1),
    }),
  },
  'order.created': { version: 1, data: order },
  /** `history` lists every status so far, this one included, oldest first. */
  'order.status_changed': { version: 1, data: order.extend({ from: orderStatus, history: z.array(orderStatus).min(1).max(4) }) },
  'order.cancelled': { version: 1, data: order.extend({ status: z.literal('CANCELLED') }) },
  'promotion.created': {
    version: 1,
    data: z.object({ promotionId: objectId, code: promoCode, description: z.string().min(1).max(1000) }),
  },
  /** A catalogue replica wrote these products; the others re-read them. `source` is the writer, which skips its own. */
  'product.changed': { version: 1, data: z.object({ productIds: z.array(objectId).min(1).max(100), source: z.uuid() }) },
} as const;

export type EventType = keyof typeof EVENTS;
export type EventData<T extends EventType> = z.output<(typeof EVENTS)[T]['data']>;

/** The envelope of an event of type T; for a union of types, the discriminated union of their envelopes. */
export type DomainEvent<T extends EventType> = {
  [K in T]: { id: string; type: K; version: (typeof EVENTS)[K]['version']; occurredAt: string; data: EventData<K> };
}[T];
export type AnyDomainEvent = DomainEvent<EventType>;

export const EVENT_TYPES = Object.keys(EVENTS) as [EventType, ...EventType[]];

const envelope = z.object({
  id: z.uuid(),
  type: z.enum(EVENT_TYPES),
  // Events stored before the envelope had a version (in outboxes and queues) are version 1.
  version: z.int().min(1).default(1),
  occurredAt: dateTime,
  data: z.unknown(),
});

/** "path: problem; ..." for logs and the x-error header. */
const describe = (error: z.ZodError, prefix: string[] = []) =>
  error.issues.map((issue) => `${[...prefix, ...issue.path].join('.') || '(event)'}: ${issue.message}`).join('; ');

/** A new event, its data checked now: a publisher that builds a bad one fails here, in its own process. */
export function createEvent<T extends EventType>(type: T, data: EventData<T>): DomainEvent<T> {
  const { version, data: schema } = EVENTS[type];
  const checked = (schema as z.ZodType).safeParse(data);
  if (!checked.success) throw new Error(`invalid ${type} event: ${describe(checked.error, ['data'])}`);
  return { id: randomUUID(), type, version, occurredAt: new Date().toISOString(), data: checked.data } as DomainEvent<T>;
}

export type ParsedEvent<T extends EventType> = { event: DomainEvent<T>; error?: undefined } | { event?: undefined; error: string };

/**
 * The event in a message body (a Buffer, a string or already-parsed JSON), checked against the
 * catalogue and, when `accepted` is given, against the types the reader takes. Otherwise an
 * error that names the problem; the body is then not an event anyone should act on.
 */
export function parseEvent<T extends EventType = EventType>(body: unknown, accepted?: readonly T[]): ParsedEvent<T> {
  let json: unknown = body;
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    try {
      json = JSON.parse(body.toString());
    } catch {
      return { error: 'not JSON' };
    }
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return { error: describe(parsed.error) };
  const { type, version, data } = parsed.data;
  if (accepted && !accepted.includes(type as T)) return { error: `type: ${type} is not taken here` };
  if (version !== EVENTS[type].version) return { error: `version: ${type} version ${version} is unknown (expected ${EVENTS[type].version})` };
  const checked = EVENTS[type].data.safeParse(data);
  if (!checked.success) return { error: describe(checked.error, ['data']) };
  // The schema of `type` accepted `data`: the pair is a DomainEvent<T>, which TS cannot see through the lookup.
  return { event: { ...parsed.data, data: checked.data } as DomainEvent<T> };
}
