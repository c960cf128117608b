export * from './broker-telemetry';
export * from './graphql-telemetry';
export * from './metrics';
export * from './metrics-endpoint';
export * from './trace-context';
export * from './tracing';
