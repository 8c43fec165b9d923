/**
 * What went wrong, as the command line's exit codes tell it apart (README "Exit codes"):
 * - input: the command, an argument or a local file is wrong; fix it and run again
 * - network: a node or server could not be reached or answered nonsense; try again later
 * - not_found: what was asked for is not there (no account in the data folder, a file gone from
 *   the file server, a room that does not exist)
 * - refused: a server understood and said no (permission, ban, too large, bad signature)
 * - clock: this device's clock is too far from the network's
 */
export type ClientErrorKind = 'input' | 'network' | 'not_found' | 'refused' | 'clock';

/** A failure the person at the terminal can act on; the command prints its message on one line. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly kind: ClientErrorKind = 'network',
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
