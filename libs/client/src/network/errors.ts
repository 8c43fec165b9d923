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

/** The server behind the exit could not decrypt the request: it holds another key than the one used. */
export class ServerKeyRejected extends ClientError {
  constructor(what: string) {
    super(`${what} could not decrypt the request: its key is not the one used`, 'refused');
    this.name = 'ServerKeyRejected';
  }
}
