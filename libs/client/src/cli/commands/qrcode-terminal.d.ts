// qrcode-terminal ships no types; this is the one call the client makes.
declare module 'qrcode-terminal' {
  export function generate(text: string, options: { small?: boolean }, done: (qr: string) => void): void;
}
