// `starling push subscribe --unifiedpush <endpoint>`, `push unsubscribe`, `push status` and
// `push open`: push notifications for this account through the push server (reached by onion
// paths like the file server). A UnifiedPush endpoint may be a distributor on a phone or a bot's
// webhook; `push open` reads one delivered notice (stdin) with the key only this device holds.
import { readFileSync } from 'fs';
import { Command } from 'commander';
import { PushClient, type PushTarget } from '../../push/push-client';
import { readPushNotice } from '../../push/push-notice';
import {
  EXPIRES_AFTER_S,
  noticeKeyFor,
  readPushRegistration,
  removePushRegistration,
  RENEW_AFTER_S,
  writePushRegistration,
  type PushRegistration,
} from '../../push/push-registration';
import { ClientError } from '../../network/errors';
import { printRecord } from '../output';
import { CommandContext } from './context';
import { printable } from './format';

interface SubscribeOptions {
  unifiedpush: string;
  namespaces: string;
  data: boolean;
  json?: boolean;
}

export function registerPushCommands(program: Command, ctx: CommandContext): void {
  const push = program.command('push').description('push notifications: a UnifiedPush endpoint (or a bot\'s webhook) learns of new messages without polling');

  push
    .command('subscribe')
    .description('subscribe this account at the push server (again: renew; apps renew weekly, the server forgets after 14 days)')
    .requiredOption('--unifiedpush <endpoint>', 'http(s) URL the push server POSTs each encrypted notice to')
    .option('--namespaces <list>', 'comma-separated namespaces to watch, ascending', '0')
    .option('--no-data', 'notices carry only the hash, not the message')
    .option('--json', 'print JSON')
    .action(async (opts: SubscribeOptions) => {
      const target: PushTarget = { service: 'unifiedpush', endpoint: opts.unifiedpush };
      const namespaces = parseNamespaces(opts.namespaces);
      const store = ctx.store();
      const server = ctx.pushServer(true);
      const previous = readPushRegistration(ctx.home());
      const encKey = noticeKeyFor(previous, target);
      const client = new PushClient(await ctx.servers(store), server, store.identity());
      const { added, sigTs } = await client.subscribe(target, { namespaces, data: opts.data, encKey });
      const registration: PushRegistration = { server: server.url, target, namespaces, data: opts.data, encKey, sigTs };
      writePushRegistration(ctx.home(), registration);
      // A subscription for another endpoint stays at the server until it lapses; say so.
      if (previous && (previous.server !== server.url || JSON.stringify(previous.target) !== JSON.stringify(target))) {
        ctx.io.err('note: the previous subscription stays at its push server until it expires (run "starling push unsubscribe" first to end it now)\n');
      }
      printStatus(ctx, registration, !!opts.json, added ? 'subscribed' : 'renewed');
    });

  push
    .command('unsubscribe')
    .description('end this device\'s subscription at the push server')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const store = ctx.store();
      const registration = readPushRegistration(ctx.home());
      if (!registration) throw new ClientError('this device has no push subscription (see "starling push status")', 'input');
      const server = ctx.pushServer(true);
      const client = new PushClient(await ctx.servers(store), server, store.identity());
      const { removed } = await client.unsubscribe(registration.target);
      removePushRegistration(ctx.home());
      if (opts.json) ctx.io.out(JSON.stringify({ removed }) + '\n');
      else ctx.io.out(removed ? `Unsubscribed: ${printable(describe(registration.target))}\n` : 'The push server had no such subscription (it may have expired); nothing is left.\n');
    });

  push
    .command('status')
    .description('show this device\'s push subscription')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const registration = readPushRegistration(ctx.home());
      if (!registration) {
        if (opts.json) ctx.io.out('{"subscribed":false}\n');
        else ctx.io.out('Not subscribed to push notifications (starling push subscribe --unifiedpush <endpoint>).\n');
        return;
      }
      printStatus(ctx, registration, !!opts.json, 'subscribed');
    });

  push
    .command('open')
    .description('read a delivered notice (the JSON body POSTed to the endpoint) from stdin or a file, with this device\'s notice key')
    .argument('[file]', 'file holding the body (default: stdin)')
    .option('--key <hex>', 'the notice key (default: the one of this device\'s subscription)')
    .action((file: string | undefined, opts: { key?: string }) => {
      if (opts.key !== undefined && !/^[0-9a-fA-F]{64}$/.test(opts.key)) throw new ClientError('--key must be 64 hex characters', 'input');
      const encKey = opts.key !== undefined ? Buffer.from(opts.key, 'hex') : readPushRegistration(ctx.home())?.encKey;
      if (encKey === undefined) throw new ClientError('no notice key: pass --key <hex> or subscribe this device first', 'input');
      const notice = readPushNotice(readBody(file), encKey);
      const m = notice.metadata;
      ctx.io.out(
        JSON.stringify({
          account: m.account,
          hash: m.hash,
          namespace: m.namespace,
          timestamp_ms: m.timestampMs,
          expiry_ms: m.expiryMs,
          data: notice.data ? Buffer.from(notice.data).toString('base64') : null,
          data_too_long: m.dataTooLong === true,
        }) + '\n',
      );
    });
}

function printStatus(ctx: CommandContext, r: PushRegistration, json: boolean, state: 'subscribed' | 'renewed'): void {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const record = {
    state,
    server: r.server,
    service: r.target.service,
    target: describe(r.target),
    namespaces: r.namespaces.join(','),
    data: r.data ? 'yes' : 'no',
    enc_key: Buffer.from(r.encKey).toString('hex'),
    signed: iso(r.sigTs),
    renew_by: iso(r.sigTs + RENEW_AFTER_S),
    expires: iso(r.sigTs + EXPIRES_AFTER_S),
  };
  printRecord(ctx.io, json, record, {
    state: 'State',
    server: 'Push server',
    service: 'Service',
    target: 'Delivered to',
    namespaces: 'Namespaces',
    data: 'With message',
    enc_key: 'Notice key',
    signed: 'Signed',
    renew_by: 'Renew by',
    expires: 'Expires',
  });
}

function describe(target: PushTarget): string {
  return target.service === 'unifiedpush' ? target.endpoint : `${target.service} token ${target.token.slice(0, 12)}…`;
}

function parseNamespaces(list: string): number[] {
  const namespaces = list.split(',').map((n) => Number(n.trim()));
  if (namespaces.some((n) => !Number.isInteger(n) || n < -32768 || n > 32767)) throw new ClientError('--namespaces: comma-separated whole numbers (-32768..32767)', 'input');
  for (let i = 1; i < namespaces.length; i++) {
    if (namespaces[i]! <= namespaces[i - 1]!) throw new ClientError('--namespaces must be ascending, without repeats', 'input');
  }
  return namespaces;
}

function readBody(file: string | undefined): Buffer {
  try {
    return readFileSync(file ?? 0);
  } catch (err) {
    throw new ClientError(`cannot read ${file ?? 'stdin'}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'input');
  }
}
