/** A one-shot timer that can be re-armed and disarmed: the bridge's "terminate after N ms idle". */
export class IdleTimer {
  private handle: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {}

  arm(): void {
    this.disarm();
    this.handle = setTimeout(() => {
      this.handle = null;
      this.onIdle();
    }, this.ms);
  }

  disarm(): void {
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
  }
}
