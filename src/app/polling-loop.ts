// The loop every background worker runs (the mail outbox, webhook deliveries, the event pruner):
// drain what is due, then wait `pollMs` (or a nudge from this process) and drain again. One
// drain at a time; a nudge during a drain runs another right after it.
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private halted = false;

  constructor(
    private readonly drain: () => Promise<void>,
    private readonly pollMs: number,
  ) {}

  get stopped(): boolean {
    return this.halted;
  }

  /** Drains what is due now (rows left by a crash included), then keeps polling. */
  start(): void {
    this.nudge();
  }

  /** Drains now: called when this process knows there is work. */
  nudge(): void {
    if (this.halted) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.halted) return;
      if (this.again) {
        this.again = false;
        this.nudge();
      } else {
        this.timer = setTimeout(() => this.nudge(), this.pollMs);
        this.timer.unref();
      }
    });
  }

  /** Stops polling and waits for the drain under way. */
  async stop(): Promise<void> {
    this.halted = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
