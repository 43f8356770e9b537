/**
 * Coalesces concurrent calls into batches (group commit). A call made while `maxInFlight` batches
 * run waits for the next batch; a call made when a slot is free starts a batch on the next turn of
 * the event loop, so the calls of one turn share it. There is no timer: an idle server answers a
 * lone call at once, and a busy one spends one statement (and one commit) on every call that
 * arrived meanwhile, instead of one each.
 */
export class Batcher<I, O> {
  private queue: { input: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private running = 0;
  private scheduled = false;

  /**
   * @param run answers a batch: one result per input, in order — a value, or an `Error` for that
   *   input alone. When `run` itself throws, every call of the batch fails with that error.
   */
  constructor(
    private readonly run: (inputs: I[]) => Promise<(O | Error)[]>,
    private readonly options: { maxBatch: number; maxInFlight: number },
  ) {}

  /** Queues one input; resolves with its result when its batch is done. */
  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.options.maxInFlight || this.queue.length === 0)
      return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < this.options.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running++;
      this.run(batch.map((b) => b.input))
        .then(
          (results) => {
            batch.forEach((b, i) => {
              const r = results[i];
              if (r instanceof Error) b.reject(r);
              else b.resolve(r as O);
            });
          },
          (error: unknown) => {
            for (const b of batch) b.reject(error);
          },
        )
        .finally(() => {
          this.running--;
          this.schedule();
        });
    }
  }
}
