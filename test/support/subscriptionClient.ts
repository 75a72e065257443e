import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client for tests, as a member frontend would open one. */
export function wsClient(
  httpUrl: string,
  credential?: string,
  options: { onClosed?: (code: number, reason: string) => void } = {},
): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: credential ? { authorization: `Bearer ${credential}` } : {},
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => options.onClosed?.((event as { code: number }).code, (event as { reason: string }).reason) },
  });
}

export interface Subscription<T> {
  /** The next message (a result with data or errors), or an error when none comes in time. */
  next(timeoutMs?: number): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }>;
  /** Whether the server completed the subscription. */
  completed(): boolean;
  dispose(): void;
}

export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Subscription<T> {
  const messages: any[] = [];
  const waiters: ((message: any) => void)[] = [];
  let done = false;
  const deliver = (message: any) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  };
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => deliver(value),
      error: (error) => {
        done = true;
        deliver(
          Array.isArray(error)
            ? { errors: error }
            : { errors: [{ message: String((error as Error).message ?? error), extensions: { code: 'CONNECTION_ERROR' } }] },
        );
      },
      complete: () => {
        done = true;
      },
    },
  );
  return {
    next(timeoutMs = 10_000) {
      const message = messages.shift();
      if (message) return Promise.resolve(message);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no subscription message within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      });
    },
    completed: () => done,
    dispose,
  };
}
