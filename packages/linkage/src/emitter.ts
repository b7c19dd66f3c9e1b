/**
 * A tiny typed event registry (isomorphic, so the core does not need node:events). A throwing
 * listener is reported to `onListenerError` instead of breaking the MQTT message loop.
 */
// biome-ignore lint/suspicious/noExplicitAny: listener parameter lists are checked per event by the map type.
export type EventMap = Record<string, (...args: any[]) => void>;

export class Emitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Set<E[keyof E]>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as E[K])(...args);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}
