import type { ReaderEvent } from '../reader/reader';

/** Tiny isomorphic listener set for Reader.on (no node:events in browser code). */
export class ReaderEvents {
  private readonly listeners: Record<ReaderEvent, Set<() => void>> = {
    present: new Set(),
    absent: new Set(),
  };

  on(event: ReaderEvent, listener: () => void): () => void {
    this.listeners[event].add(listener);
    return () => {
      this.listeners[event].delete(listener);
    };
  }

  emit(event: ReaderEvent): void {
    for (const listener of [...this.listeners[event]]) {
      try {
        listener();
      } catch {
        // A faulty listener must not break the transport that reports the event.
      }
    }
  }
}
