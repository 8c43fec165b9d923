// max_size for a poll of several namespaces at once (client.md 3.3): negative values ask for a
// fraction of the node's response budget. Namespaces 0 and 11 (messages) come first and share one
// share; config namespaces share the rest, split further by their count.

const MESSAGE_NAMESPACES = new Set([0, 11]);

/** Returns max_size per namespace, in the order given: [0] → [-1]; [0,2,3,4,5] → [-2,-8,-8,-8,-8]. */
export function retrieveMaxSizes(namespaces: readonly number[]): number[] {
  const buckets = [namespaces.filter((ns) => MESSAGE_NAMESPACES.has(ns)), namespaces.filter((ns) => !MESSAGE_NAMESPACES.has(ns))].filter(
    (bucket) => bucket.length > 0,
  );
  const divisor = new Map<number, number>();
  let running = 1;
  buckets.forEach((bucket, i) => {
    // Every bucket but the last leaves room for those after it; the last splits what is left.
    running *= i < buckets.length - 1 ? bucket.length + 1 : bucket.length;
    for (const ns of bucket) divisor.set(ns, running);
  });
  return namespaces.map((ns) => -divisor.get(ns)!);
}
