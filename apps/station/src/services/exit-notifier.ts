import { EventEmitter } from 'node:events';

/**
 * Wakes long-polls when a transaction changes (a monitor's decision reaches the collector's screen).
 * In-process: one station server per station. A waiter always re-reads the DB, so a missed wake-up
 * only costs the poll timeout.
 */
export class ExitNotifier {
  private readonly ee = new EventEmitter();

  constructor() {
    this.ee.setMaxListeners(0);
  }

  notify(txnId: string): void {
    this.ee.emit(txnId);
  }

  wait(txnId: string, ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.ee.off(txnId, done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.ee.on(txnId, done);
      signal?.addEventListener('abort', done);
    });
  }
}
