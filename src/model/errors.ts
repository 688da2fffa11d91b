/**
 * The few failure kinds the domain reports. Each API family turns them into its own error body
 * (Watson `{error, code}`, Coveo `{message, type}`, Lethe `{error: {code, message}}`) in one place.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** A stable machine-readable reason, e.g. `InvalidToken` for the Coveo family. */
    readonly reason?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequest extends DomainError {
  constructor(message: string, reason?: string) { super(400, message, reason); }
}
export class Unauthorized extends DomainError {
  constructor(message = 'Unauthorized: a valid API key is required', reason?: string) { super(401, message, reason); }
}
export class Forbidden extends DomainError {
  constructor(message: string, reason?: string) { super(403, message, reason); }
}
export class NotFound extends DomainError {
  constructor(message: string, reason?: string) { super(404, message, reason); }
}
export class Conflict extends DomainError {
  constructor(message: string, reason?: string) { super(409, message, reason); }
}
export class TooManyRequests extends DomainError {
  constructor(message: string) { super(429, message, 'TooManyRequests'); }
}
/**
 * A read ran past its time budget (LETHE_QUERY_TIMEOUT_MS) and was stopped. 503: the request was valid, and the same
 * read may fit the budget on a quieter server, but a narrower one (a time range, a customer ID) is the sure way.
 */
export class QueryTimeout extends DomainError {
  constructor(budgetMs: number) {
    super(503, `The query was stopped after ${budgetMs} ms, the longest a query may run: narrow it (e.g. with request_timestamp or customer_id) and try again`, 'QueryTimeout');
  }
}
