// ForwardOnionRequest carries a whole onion layer, up to 10 MiB. Its generated encoder copies the
// payload twice (into a chunk list, then into a Buffer): 4-20 ms for 10 MiB, during which the
// relay answers nobody. This one writes the same bytes with one copy.
import { RelayServiceService, type ForwardOnionRequest } from './gen/starling/relay/v1/relay';
import { varintSize, writeVarint } from './grpc-mux';

export function encodeForwardOnionRequest({ payload }: ForwardOnionRequest): Buffer {
  // proto3 leaves an empty bytes field out.
  if (payload.length === 0) return Buffer.alloc(0);
  const out = Buffer.allocUnsafe(1 + varintSize(payload.length) + payload.length);
  out[0] = 0x0a; // payload = 1, length-delimited
  out.set(payload, writeVarint(out, 1, payload.length));
  return out;
}

/** RelayService as its callers use it: onion layers sent with the encoder above. */
export const RelayServiceForCallers: typeof RelayServiceService = {
  ...RelayServiceService,
  forwardOnion: { ...RelayServiceService.forwardOnion, requestSerialize: encodeForwardOnionRequest },
};
