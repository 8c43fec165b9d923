// The node's current snapshot of the network: which swarm it is in and who its peers are. It is
// replaced whenever the registry publishes a newer map; everything reads it through here.
import { SwarmView } from './swarm-view';

export class SwarmViews {
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
