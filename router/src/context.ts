/** What the router knows of a request, and forwards to the subgraphs. */
export interface RouterContext {
  /** The client's verified Authorization header, forwarded as is: each subgraph verifies it too. */
  authorization?: string;
  /** The client's address, for per-address limits in subgraphs (log-in attempts). */
  clientAddress?: string;
  /** Set when resolving a subscription event: the order as of that change (ORDER_AS_OF_HEADER). */
  orderAsOf?: string;
  /**
   * The request's trace, sent on to the subgraphs. Only with tracing off: the router then keeps
   * its trace here rather than in AsyncLocalStorage, which costs every promise of the process.
   */
  traceparent?: string;
  /**
   * A mutation's answer the single-fetch shortcut kept for the gateway (it went the full way):
   * its first subgraph call is tagged with this name and gets it, instead of sending the mutation again.
   */
  keptAnswer?: string;
}
