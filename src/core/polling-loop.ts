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
