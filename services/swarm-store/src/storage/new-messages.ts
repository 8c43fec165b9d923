// Messages this node has just stored for the first time from a store request (its own or one a
// swarm peer forwarded): not duplicates, not the bulk catch-up between peers. Whoever must react
// to new messages (the push monitors) listens here, so that storage knows nothing about them.
import type { StoredMessage } from './message-store';

export type NewMessagesListener = (messages: readonly StoredMessage[]) => void;

export class NewMessages {
  private readonly listeners: NewMessagesListener[] = [];

  listen(listener: NewMessagesListener): void {
    this.listeners.push(listener);
  }

  /** A listener that throws does not keep the others (or the acknowledgement) from happening. */
  publish(messages: readonly StoredMessage[]): void {
    if (messages.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(messages);
      } catch {
        // the listener's own failure; storage has done its part
      }
    }
  }
}
