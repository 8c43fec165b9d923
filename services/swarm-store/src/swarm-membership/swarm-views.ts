// The node's current snapshot of the network: which swarm it is in and who its peers are, and the
// whole node list (which oxend_request answers from). Replaced whenever the registry publishes a
// newer map; everything reads it through here.
import type { ListedNetwork, SwarmView } from '@starling/membership';

export class SwarmViews {
  /** The listed nodes of the newest map (every role). */
  network: ListedNetwork | undefined;

  private readonly listeners: Array<(view: SwarmView, previous: SwarmView) => void> = [];

  constructor(private view: SwarmView) {}

  /** Called after every replace (the monitors drop accounts that left this node's swarm). */
  onReplace(listener: (view: SwarmView, previous: SwarmView) => void): void {
    this.listeners.push(listener);
  }

  get current(): SwarmView {
    return this.view;
  }

  /** Swaps in a newer snapshot; returns the one it replaced. */
  replace(view: SwarmView): SwarmView {
    const previous = this.view;
    this.view = view;
    for (const listener of this.listeners) listener(view, previous);
    return previous;
  }
}
