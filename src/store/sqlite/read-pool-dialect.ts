import {
  SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
  type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult,
} from 'kysely';
import type { ReadPool } from './read-pool.js';

/** Every statement goes to the pool's threads; there are no transactions, each read is one statement. */
class ReadPoolConnection implements DatabaseConnection {
  constructor(private readonly pool: ReadPool) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.pool.run(query.sql, query.parameters)) as R[] };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the read pool does not stream: read a page at a time');
  }
}

class ReadPoolDriver implements Driver {
  private readonly connection: ReadPoolConnection;

  constructor(private readonly pool: ReadPool) {
    this.connection = new ReadPoolConnection(pool);
  }

  async init(): Promise<void> {}
  // Any number of queries may be in flight: the pool queues them for its threads.
  async acquireConnection(): Promise<DatabaseConnection> { return this.connection; }
  async releaseConnection(): Promise<void> {}
  async beginTransaction(): Promise<void> { throw new Error('the read pool runs single statements, not transactions'); }
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async destroy(): Promise<void> { await this.pool.close(); }
}

/** Kysely on a ReadPool: SQLite's SQL, run on the read threads. */
export class ReadPoolDialect implements Dialect {
  constructor(private readonly pool: ReadPool) {}

  createDriver(): Driver { return new ReadPoolDriver(this.pool); }
  createQueryCompiler() { return new SqliteQueryCompiler(); }
  createAdapter() { return new SqliteAdapter(); }
  createIntrospector(db: Kysely<unknown>) { return new SqliteIntrospector(db); }
}
