/** Unix time in float seconds, the unit of every SOGS timestamp. */
export function nowSeconds(): number {
  return Date.now() / 1000;
}
