import type { Logger } from 'pino';

/**
 * A background worker's schedule: `pass` runs at start, every `intervalMs`, and whenever `wake()` is called, never
 * twice at once; wake-ups that arrive during a pass collapse into one more pass after it. A worker only runs between
 * start() and stop(), so a CLI that merely queues work never performs it.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  /** `pass` handles its own errors: a rejection would be unhandled. */
  constructor(private readonly pass: () => Promise<void>, private readonly intervalMs: number) {}

  /** False once stop() was called: a long pass checks it between steps. */
  get active(): boolean {
    return !this.stopped;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.intervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) { this.again = false; this.wake(); }
    });
  }

  /** Resolves when no pass is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}

/**
 * A background worker whose passes run on a PollingLoop: start, stop, wake and idle are the loop's. A pass that
 * throws (a busy database, a lost connection) is logged as "`what` failed" and the next pass tries again; left to
 * the loop, the rejection would be unhandled and end the server.
 */
export abstract class PollingWorker {
  protected readonly loop: PollingLoop;

  constructor(intervalMs: number, log: Logger, what: string) {
    this.loop = new PollingLoop(() => this.pass().catch((err: Error) => { log.error({ err: err.message }, `${what} failed`); }), intervalMs);
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** A pass now rather than at the next interval; wake-ups during a pass collapse into one more pass. */
  wake(): void {
    this.loop.wake();
  }

  /** Resolves when no pass is running (tests and the CLI wait on it). */
  idle(): Promise<void> {
    return this.loop.idle();
  }

  protected abstract pass(): Promise<void>;
}
