// A relay holds no messages: the last layer of a path sent to a relay's key is refused.
import { Injectable } from '@nestjs/common';
import { pathError, type HopReply, type OnionDestination } from '@starling/service-node';

@Injectable()
export class RelayDestination implements OnionDestination {
  async deliver(): Promise<HopReply> {
    return pathError(400, 'Invalid request: this node is a relay, not a storage node', 'bad_request');
  }
}
