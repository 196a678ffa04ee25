import "server-only";
import type { MergeChunk } from "./merge";
import type { StagingSession } from "./staging";

type Query = Pick<StagingSession, "query">;

/**
 * On PostgreSQL the merge runs while the file is still being read: rows are staged in chunks (one
 * COPY each, committed), and other connections merge each chunk's "plain" rows — valid rows whose
 * email no earlier row had — into `leads` as soon as it is staged. Those merges stay in one open
 * transaction per connection until the whole file has been read (the caller commits), so a file
 * that turns out broken halfway writes nothing.
 */
export class MergePipeline {
  private readonly queue: MergeChunk[] = [];
  private readonly waiting: (() => void)[] = [];
  private readonly workers: Promise<void>[] = [];
  private closed = false;
  private failure: unknown = null;
  private failed = false;
  /** Bytes of the file staged, and merged (for progress). */
  private stagedBytes = 0;
  private mergedBytes = 0;

  constructor(
    private readonly mergeChunk: (q: Query, chunk: MergeChunk) => Promise<void>,
    private readonly onProgress: (stagedBytes: number, mergedBytes: number) => Promise<void>,
  ) {}

  /** One merging loop per connection. */
  start(connections: Query[]) {
    for (const q of connections) {
      this.workers.push(this.work(q).catch((err) => this.fail(err)));
    }
  }

  push(chunk: MergeChunk) {
    this.queue.push(chunk);
    this.wakeAll();
  }

  /** Throws the first merge failure, if any (the staging loop checks between batches). */
  throwIfFailed() {
    if (this.failed) throw this.failure;
  }

  async staged(bytes: number) {
    this.stagedBytes = bytes;
    await this.onProgress(this.stagedBytes, this.mergedBytes);
  }

  /** No more chunks: waits for the queued ones to be merged. */
  async finish() {
    this.closed = true;
    this.wakeAll();
    await Promise.all(this.workers);
    this.throwIfFailed();
  }

  /** Stops the loops after their current statement. */
  async abort(err: unknown) {
    this.fail(err);
    this.closed = true;
    this.wakeAll();
    await Promise.allSettled(this.workers);
  }

  private fail(err: unknown) {
    if (!this.failed) {
      this.failed = true;
      this.failure = err;
    }
    this.wakeAll();
  }

  private wakeAll() {
    for (const w of this.waiting.splice(0)) w();
  }

  private async work(q: Query) {
    for (;;) {
      const c = this.queue.shift();
      if (!c) {
        if (this.closed || this.failed) return;
        await new Promise<void>((r) => this.waiting.push(r));
        continue;
      }
      await this.mergeChunk(q, c);
      this.mergedBytes = Math.max(this.mergedBytes, c.bytes);
      await this.onProgress(this.stagedBytes, this.mergedBytes);
    }
  }
}
