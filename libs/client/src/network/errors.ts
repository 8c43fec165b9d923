/** A failure the person at the terminal can act on; the command prints its message on one line. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'clock' | 'refused' | 'input' = 'network',
  ) {
    super(message);
    this.name = 'ClientError';
  }
}
