import type { ApolloServerPlugin, GraphQLRequestContext, GraphQLRequestListener } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import type { Logger } from '../logger';
import { boundedLabel, graphqlDuration, graphqlErrors } from './metrics';
import { isRecording } from './trace-context';

const STARTED = Symbol('telemetry.started');
type Timed = GraphQLRequestContext<any> & { [STARTED]?: number };

/**
 * Apollo plugin: each request's duration and errors by operation name (metrics), a debug log
 * line per request, and the operation's name on the request's span. `traceIdIn`: where the
 * request's trace id is, for a server that keeps it in its context (the router, tracing off). One listener object for
 * every request and the metric children kept per operation: nothing allocated per request but
 * the start time, unless debug logging is on.
 */
export function graphqlTelemetry(record: OperationRecorder): ApolloServerPlugin<any> {
  const listener: GraphQLRequestListener<any> = {
    async didResolveOperation(rc) {
      if (isRecording() && rc.operationName) trace.getActiveSpan()?.updateName(`graphql ${rc.operationName}`);
    },
    async willSendResponse(rc: Timed) {
      const body = rc.response.body;
      record(rc.operationName, rc[STARTED] ?? performance.now(), body?.kind === 'single' ? body.singleResult.errors : undefined, rc.contextValue);
    },
  };
  return {
    async requestDidStart(rc: Timed) {
      rc[STARTED] = performance.now();
      return listener;
    },
  };
}

/**
 * Records one answered operation: its duration since `started` (performance.now()) and its first
 * error's code by operation name, and a debug log line. Also used by a server that answers some
 * requests without Apollo Server (the router's single-fetch shortcut).
 */
export type OperationRecorder = ReturnType<typeof operationRecorder>;

export function operationRecorder(logger: Logger, traceIdIn?: (contextValue: any) => string | undefined) {
  const operationLabel = boundedLabel();
  const codeLabel = boundedLabel(50);
  const timers = new Map<string, ReturnType<typeof graphqlDuration.labels>>();
  const timer = (operation: string) => {
    let child = timers.get(operation);
    if (!child) timers.set(operation, (child = graphqlDuration.labels(operation)));
    return child;
  };
  const debug = logger.isLevelEnabled('debug');
  return (operationName: string | null | undefined, started: number, errors?: readonly { extensions?: Record<string, unknown> }[], contextValue?: unknown) => {
    const seconds = (performance.now() - started) / 1000;
    const operation = operationLabel(operationName ?? '(anonymous)');
    timer(operation).observe(seconds);
    if (errors?.length) {
      const code = errors[0].extensions?.code;
      graphqlErrors.labels(operation, codeLabel(typeof code === 'string' ? code : 'UNKNOWN')).inc();
    }
    if (debug) {
      const fields = { operation, ms: Math.round(seconds * 1e4) / 10, errors: errors?.length ?? 0 };
      const traceId = traceIdIn?.(contextValue);
      logger.debug(traceId ? { ...fields, trace_id: traceId } : fields, 'graphql request');
    }
  };
}
