// libsodium is WebAssembly: it must finish loading before any key or cipher function runs.
// Call `await ready()` once at start-up; every other export of this library is synchronous.
import sodiumModule from 'libsodium-wrappers-sumo';

let loaded = false;

export async function ready(): Promise<void> {
  await sodiumModule.ready;
  loaded = true;
}

export function sodium(): typeof sodiumModule {
  if (!loaded) throw new Error('@starling/crypto: await ready() before using the library');
  return sodiumModule;
}
