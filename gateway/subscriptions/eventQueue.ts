/**
 * What a connection's queues hold for a subscriber that is behind: results resolved but not yet
 * taken by graphql-ws, in bytes (server.ts closes a slow consumer on it, with the socket's own
 * unsent bytes).
 */
export interface Backlog {
  add(bytes: number): void;
  remove(bytes: number): void;
}

/**
 * A queue the subscription's async iterator reads; `close` ends it, and calls `onClose` (a stream
 * built as a subclass overrides `closed` instead, holding no closure).
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  // Made on first use: a subscriber that keeps up never queues anything (idle ones hold none).
  private items: T[] | null = null;
  /** The size of each queued item, as JSON, when a backlog counts them. */
  private itemBytes: number[] | null = null;
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  protected done = false;

  constructor(
    private readonly onClose: (() => void) | null,
    private readonly backlog?: Backlog,
  ) {}

  /** What closing stops (the stream's watching). */
  protected closed(): void {
    this.onClose?.();
  }

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
      return;
    }
    // graphql-ws takes the next result only once it has handed the last one to the socket, so a
    // stalled reader leaves results here, not in the socket. Only items that wait are measured,
    // so a subscriber that keeps up costs no serialisation.
    (this.items ??= []).push(item);
    if (this.backlog) {
      const bytes = Buffer.byteLength(JSON.stringify(item) ?? '');
      (this.itemBytes ??= []).push(bytes);
      this.backlog.add(bytes);
    }
  }

  close(): void {
    if (this.done) return;
    this.done = true;
    this.closed();
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items?.length) {
      const item = this.items.shift()!;
      if (this.backlog) this.backlog.remove(this.itemBytes?.shift() ?? 0);
      return Promise.resolve({ value: item, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** The consumer leaves (the subscription completed, or its socket closed): what waits is dropped. */
  return(): Promise<IteratorResult<T>> {
    this.close();
    this.items = null;
    this.backlog?.remove(this.itemBytes?.reduce((sum, bytes) => sum + bytes, 0) ?? 0);
    this.itemBytes = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
