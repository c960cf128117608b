import type { Connection } from 'rabbitmq-client';
import type { AnyDomainEvent } from '../events';
import { messagesHandled, queueDepth, readQueueDepthWith } from './metrics';
import { contextFrom, handleInSpan, inSpan, SpanKind } from './trace-context';

/*
 * RabbitMQ's part of the telemetry, kept out of messaging.ts: each message carries the trace of
 * the work that published it in a `traceparent` header; the consumer continues that trace, so the
 * email an order sends is in the order's trace. Queue depths are read when Prometheus scrapes.
 */

/** Publishes `event` (by `send`, given the headers to send) in a producer span. */
export function publishTraced(exchange: string, event: AnyDomainEvent, send: (headers: Record<string, unknown>) => Promise<unknown>) {
  const headers: Record<string, unknown> = {};
  return inSpan(
    `${event.type} publish`,
    SpanKind.PRODUCER,
    { 'messaging.system': 'rabbitmq', 'messaging.destination.name': exchange, 'messaging.message.id': event.id },
    () => send(headers),
    headers,
  );
}

/**
 * Handles one message in a consumer span under the trace its headers name, and counts the
 * outcome `handle` resolves to (ok, retry, dead).
 */
export async function consumeTraced(queue: string, event: { id: string; type: string }, headers: Record<string, unknown> | undefined, handle: () => Promise<'ok' | 'retry' | 'dead'>) {
  const outcome = await handleInSpan(
    `${event.type} process`,
    SpanKind.CONSUMER,
    contextFrom(headers),
    { 'messaging.system': 'rabbitmq', 'messaging.destination.name': queue, 'messaging.message.id': event.id },
    handle,
  );
  messagesHandled.labels(queue, event.type, outcome).inc();
}

/** The `traceparent` of a message, to keep when it is parked for a retry. */
export const traceHeaders = (headers: Record<string, unknown> | undefined) => (headers?.traceparent ? { traceparent: headers.traceparent } : {});

const watched = new Map<string, Connection>();
/** Reports the depth of these queues in shop_queue_depth, read at each scrape. */
export function watchQueueDepth(connection: Connection, queues: string[]) {
  for (const queue of queues) watched.set(queue, connection);
  readQueueDepthWith(readQueueDepths);
}

/** Called by the gauge at scrape time: a passive declare answers a queue's ready messages. */
export async function readQueueDepths() {
  await Promise.all(
    [...watched].map(async ([queue, connection]) => {
      try {
        const { messageCount } = await connection.queueDeclare({ queue, passive: true });
        queueDepth.labels(queue).set(messageCount);
      } catch {
        queueDepth.remove(queue); // not there (yet), or the broker is away: no value rather than a stale one
      }
    }),
  );
}
