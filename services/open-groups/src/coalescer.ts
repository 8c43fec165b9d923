// Groups the hot path's reads into shared queries: while `maxInFlight` queries of one kind run,
// newly asked keys wait and then go together as one query. An idle server sends each at once;
// under load batches grow by themselves, so many polls share one database round trip instead of
// paying one each. Every answer is read after its request arrived, as a query of its own would be.

interface Waiting<K, V> {
  key: K;
  resolve: (value: V) => void;
  reject: (err: unknown) => void;
}

export class Coalescer<K, V> {
  private waiting: Waiting<K, V>[] = [];
  private inFlight = 0;

  /** `run` answers many keys with one query: one value per key, in order. */
  constructor(
    private readonly run: (keys: K[]) => Promise<V[]>,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  get(key: K): Promise<V> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      this.send();
    });
  }

  private send(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      this.run(batch.map((w) => w.key))
        .then(
          (values) => batch.forEach((w, i) => w.resolve(values[i])),
          (err) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          this.inFlight--;
          this.send();
        });
    }
  }
}
