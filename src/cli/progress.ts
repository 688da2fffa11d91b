/**
 * A one-line progress report (`12,000 / 50,000 logs  24%  8,400/s`) rewritten in place on a terminal; silent when
 * the stream is not a TTY, so redirected output and scripts stay clean.
 */
export class Progress {
  private done = 0;
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(private readonly out: NodeJS.WriteStream, private readonly total: number | null, private readonly unit: string) {}

  get enabled(): boolean {
    return this.out.isTTY === true;
  }

  add(n: number): void {
    this.done += n;
    const now = Date.now();
    if (now - this.lastDraw >= 200) {
      this.lastDraw = now;
      this.draw(now);
    }
  }

  finish(): void {
    this.draw(Date.now());
    if (this.enabled) this.out.write('\n');
  }

  private draw(now: number): void {
    if (!this.enabled) return;
    const n = (v: number) => v.toLocaleString('en');
    const rate = this.done / Math.max(0.001, (now - this.started) / 1000);
    const of = this.total === null ? '' : ` / ${n(this.total)}`;
    const pct = this.total ? `  ${Math.floor((100 * this.done) / this.total)}%` : '';
    this.out.write(`\r${n(this.done)}${of} ${this.unit}${pct}  ${n(Math.round(rate))}/s\u001b[K`);
  }
}
