/** Counts open SSH channels so tests and callers can check nothing leaks. */
export class ChannelCounter {
  private count = 0;

  get open(): number {
    return this.count;
  }

  /** Call when a channel opens; returns the function to call exactly once when it closes. */
  opened(): () => void {
    this.count++;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.count--;
      }
    };
  }
}
