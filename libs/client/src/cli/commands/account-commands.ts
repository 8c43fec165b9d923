// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the untyped module's declaration must come along wherever this source is compiled (test/ reaches it through paths)
/// <reference path="./qrcode-terminal.d.ts" />
// Creating, restoring and showing the account of this device.
import { Command } from 'commander';
import { fromHex, generateIdentity, mnemonicToSeed, seedToMnemonic, toHex } from '@starling/crypto';
import * as qrcode from 'qrcode-terminal';
import { ClientError } from '../../network/errors';
import { profileName, setProfileName } from '../../sync/config-changes';
import { isSeedText, readAccountSecret, RECOVERY_PHRASE_ENV } from '../account-secret';
import { printRecord } from '../output';
import { pushEdits, syncNote } from './config-push';
import { CommandContext } from './context';

const PHRASE_WARNING =
  'Write the recovery phrase down and keep it secret: it is the only way to restore this account, and anyone who has it can read your messages.';

/** Profile names travel in every message; keep them short like the real clients (100 bytes). */
const MAX_NAME_BYTES = 100;

export function registerAccountCommands(program: Command, ctx: CommandContext): void {
  const { io } = ctx;

  program
    .command('init')
    .description('create a new account in the data folder and show its Session ID and recovery phrase')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const store = ctx.store();
      const { seed16, identity } = generateIdentity();
      store.createIdentity(seed16);
      const phrase = seedToMnemonic(seed16);
      printRecord(io, !!opts.json, { session_id: identity.sessionId, recovery_phrase: phrase }, { session_id: 'Session ID', recovery_phrase: 'Recovery phrase' });
      if (!opts.json) io.out(`\n${PHRASE_WARNING}\n`);
    });

  program
    .command('restore')
    .description(
      `restore an account on this device from its 13-word recovery phrase or the text of its QR code, typed when asked or piped to standard input (scripts may set ${RECOVERY_PHRASE_ENV})`,
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const store = ctx.store();
      // Before asking for the phrase: typing 13 words for nothing is no fun.
      store.refuseExistingAccount();
      const secret = await readAccountSecret(io, ctx.env, 'Recovery phrase (or the text of the QR code): ');
      const seed = isSeedText(secret) ? seedFromQrText(secret) : mnemonicToSeed(secret);
      const identity = store.createIdentity(seed);
      printRecord(io, !!opts.json, { session_id: identity.sessionId }, { session_id: 'Session ID' });
      if (!opts.json) io.out('Restored. "starling inbox" fetches your profile, contacts and recent messages.\n');
    });

  program
    .command('link')
    .description('show this account as a QR code to scan on a second device (it holds the whole account)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const text = toHex(ctx.store().accountSeed());
      if (opts.json) {
        io.out(JSON.stringify({ qr_text: text }) + '\n');
        return;
      }
      qrcode.generate(text, { small: true }, (qr) => io.out(qr + '\n'));
      io.out(`QR text  ${text}\n\nAnyone who scans this code or reads this text owns your account. On the other device, run "starling restore" and give this text when asked.\n`);
    });

  program
    .command('whoami')
    .description('show the Session ID and profile name of the account in the data folder')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const store = ctx.store();
      const identity = store.identity();
      const state = store.readState();
      printRecord(
        io,
        !!opts.json,
        { session_id: identity.sessionId, ed25519_pubkey: toHex(identity.ed25519.publicKey), name: profileName(state) ?? '', home: store.home },
        { session_id: 'Session ID', ed25519_pubkey: 'Ed25519 public key', name: 'Profile name', home: 'Data folder' },
      );
    });

  program
    .command('profile')
    .description('show or set the profile name shown to the people you write to')
    .option('--name <name>', 'the new profile name')
    .option('--json', 'print JSON')
    .action(async (opts: { name?: string; json?: boolean }) => {
      const store = ctx.store();
      store.identity();
      let note: string | undefined;
      if (opts.name !== undefined) {
        const name = opts.name.trim();
        if (name === '' || Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
          throw new ClientError(`a profile name is 1 to ${MAX_NAME_BYTES} bytes of text`, 'input');
        }
        store.updateState((state) => setProfileName(state, name, Date.now()));
        note = syncNote(await pushEdits(ctx, store));
      }
      const state = store.readState();
      printRecord(io, !!opts.json, { name: profileName(state) ?? '' }, { name: 'Profile name' });
      if (note && !opts.json) io.out(`(${note})\n`);
    });
}

/** The QR code holds the seed as hex: 32 characters (16 bytes), or 64 for accounts from 2020. */
function seedFromQrText(text: string): Uint8Array {
  const hex = text.trim().toLowerCase();
  if (!/^[0-9a-f]{32}([0-9a-f]{32})?$/.test(hex)) {
    throw new ClientError('QR text must be the 32 (or 64) hex characters that "starling link" shows', 'input');
  }
  return fromHex(hex);
}
