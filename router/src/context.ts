/** What the router knows of a request, and forwards to the subgraphs. */
export interface RouterContext {
  /** The client's verified Authorization header, forwarded as is: each subgraph verifies it too. */
  authorization?: string;
  /** The client's address, for per-address limits in subgraphs (log-in attempts). */
  clientAddress?: string;
  /** Set when resolving a subscription event: the order as of that change (ORDER_AS_OF_HEADER). */
  orderAsOf?: string;
}
