import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import type { Logger } from 'typeorm';

/**
 * Counts the SQL statements each request issues: a diagnostic that makes a missing DataLoader
 * visible (the count grows with the page size). In development mode subgraphs report it in their
 * response `extensions.sqlStatements` and the gateway adds up its subgraph calls' counts in its own.
 */
const requests = new AsyncLocalStorage<{ statements: number }>();

/**
 * Runs `handle` (an HTTP request's handling) with a fresh statement count. Subgraphs do this in
 * development mode only: once used, the AsyncLocalStorage installs promise hooks (Node 20) that
 * cost every promise. Without a store, counting is a no-op and `statementCount()` is undefined.
 */
export function withStatementCount(handle: () => void): void {
  requests.run({ statements: 0 }, handle);
}

export function statementCount(): number | undefined {
  return requests.getStore()?.statements;
}

/**
 * A TypeORM logger that counts statements into the current request's count. With SQL_STATEMENT_LOG
 * set (tests only: it writes synchronously) it also appends each statement, its parameters and the
 * subgraph's schema to that file as a JSON line, so a test can EXPLAIN every query the code issues.
 */
export class StatementCountingLogger implements Logger {
  private readonly logFile = process.env.SQL_STATEMENT_LOG;

  constructor(private readonly schema: string) {}

  logQuery(query: string, parameters?: unknown[]): void {
    const store = requests.getStore();
    if (store) store.statements += 1;
    if (this.logFile) appendFileSync(this.logFile, `${JSON.stringify({ schema: this.schema, query, parameters: parameters ?? [] })}\n`);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
