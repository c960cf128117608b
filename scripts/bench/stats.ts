/** The p-th percentile (nearest rank) of values sorted ascending. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export interface Latencies {
  count: number;
  p50: number | null;
  p99: number | null;
}

export function latencies(values: number[]): Latencies {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: sorted.length ? percentile(sorted, 50) : null, p99: sorted.length ? percentile(sorted, 99) : null };
}
