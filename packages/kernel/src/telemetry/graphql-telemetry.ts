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
export function graphqlTelemetry(logger: Logger, traceIdIn?: (contextValue: any) => string | undefined): ApolloServerPlugin<any> {
  const operationLabel = boundedLabel();
  const codeLabel = boundedLabel(50);
  const timers = new Map<string, ReturnType<typeof graphqlDuration.labels>>();
  const timer = (operation: string) => {
    let child = timers.get(operation);
    if (!child) timers.set(operation, (child = graphqlDuration.labels(operation)));
    return child;
  };
  const debug = logger.isLevelEnabled('debug');
  const listener: GraphQLRequestListener<any> = {
    async didResolveOperation(rc) {
      if (isRecording() && rc.operationName) trace.getActiveSpan()?.updateName(`graphql ${rc.operationName}`);
    },
    async willSendResponse(rc: Timed) {
      const seconds = (performance.now() - (rc[STARTED] ?? performance.now())) / 1000;
      const operation = operationLabel(rc.operationName ?? '(anonymous)');
      timer(operation).observe(seconds);
      const body = rc.response.body;
      const errors = body?.kind === 'single' ? body.singleResult.errors : undefined;
      if (errors?.length) {
        const code = errors[0].extensions?.code;
        graphqlErrors.labels(operation, codeLabel(typeof code === 'string' ? code : 'UNKNOWN')).inc();
      }
      if (debug) {
        const fields = { operation, ms: Math.round(seconds * 1e4) / 10, errors: errors?.length ?? 0 };
        const traceId = traceIdIn?.(rc.contextValue);
        logger.debug(traceId ? { ...fields, trace_id: traceId } : fields, 'graphql request');
      }
    },
  };
  return {
    async requestDidStart(rc: Timed) {
      rc[STARTED] = performance.now();
      return listener;
    },
  };
}
