// The node's current snapshot of the network: which swarm it is in and who its peers are, and the
// whole node list (which oxend_request answers from). Replaced whenever the registry publishes a
// newer map; everything reads it through here.
import type { ListedNetwork, SwarmView } from '@starling/membership';

export class SwarmViews {
  /** The listed nodes of the newest map (every role). */
  network: ListedNetwork | undefined;

  constructor(private view: SwarmView) {}

  get current(): SwarmView {
    return this.view;
  }

  /** Swaps in a newer snapshot; returns the one it replaced. */
  replace(view: SwarmView): SwarmView {
    const previous = this.view;
    this.view = view;
    return previous;
  }
}
