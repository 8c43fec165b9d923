import { randomBytes } from 'crypto';
import { ForwardOnionRequest, RelayServiceService } from './gen/starling/relay/v1/relay';
import { encodeForwardOnionRequest, RelayServiceForCallers } from './relay-codec';

describe('encodeForwardOnionRequest', () => {
  it.each([0, 1, 127, 128, 300, 16_383, 16_384, 1_048_576])('writes the generated encoder’s bytes for a %i-byte layer', (size) => {
    const payload = randomBytes(size);
    const encoded = encodeForwardOnionRequest({ payload });
    expect(encoded.equals(Buffer.from(ForwardOnionRequest.encode({ payload }).finish()))).toBe(true);
    expect(Buffer.from(RelayServiceForCallers.forwardOnion.requestDeserialize(encoded).payload).equals(payload)).toBe(true);
  });

  it('is what callers of RelayService send; everything else is the generated definition', () => {
    expect(RelayServiceForCallers.forwardOnion.requestSerialize).toBe(encodeForwardOnionRequest);
    expect(RelayServiceForCallers.ping).toBe(RelayServiceService.ping);
    expect(RelayServiceForCallers.forwardOnion.path).toBe(RelayServiceService.forwardOnion.path);
  });
});
