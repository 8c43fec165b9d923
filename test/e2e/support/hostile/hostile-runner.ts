// Sends hostile cases to a surface and lists every answer that is not a refusal: a 5xx, a reset or
// closed connection, an onion reply that cannot be opened, a refusal that echoes the request.
import { request } from '@starling/platform';
import { amplification, anyClientError, inParallel, type CaseFailure, type HostileCase } from './hostile-case';

export interface HostileRun {
  sent: number;
  failures: CaseFailure[];
  /** Answers by status, as the client read them (onion replies opened): what the surface said. */
  statuses: Record<string, number>;
}

/** Judges one answer; undefined when it is an acceptable refusal. */
export function judge(c: HostileCase, status: number, body: Buffer): { problem?: string; status: number } {
  let answer = { status, body, sealed: false };
  if (c.open) {
    try {
      answer = c.open(status, body);
    } catch (err) {
      return { problem: `HTTP ${status} with a reply that does not open: ${(err as Error).message}`, status };
    }
    if (c.expectSealed && !answer.sealed) return { problem: `path error ${status}: ${body.toString('utf8').slice(0, 160)}`, status };
  }
  const requestBytes = Buffer.byteLength(c.path) + (c.body === undefined ? 0 : typeof c.body === 'string' ? Buffer.byteLength(c.body) : c.body.length);
  const problem = (c.refusal ?? anyClientError)(answer.status, answer.body) ?? (answer.status >= 400 ? amplification(answer.body.length, requestBytes) : undefined);
  return { problem: problem && `${problem}: ${answer.body.toString('utf8').slice(0, 160)}`, status: answer.status };
}

/** Sends every case to `baseUrl` (`https://127.0.0.1:port`), `concurrency` at a time, each on its own connection. */
export async function runHostile(baseUrl: string, via: string, cases: readonly HostileCase[], concurrency = 6): Promise<HostileRun> {
  const run: HostileRun = { sent: 0, failures: [], statuses: {} };
  await inParallel(cases, concurrency, async (c) => {
    if (c.prime) {
      const primed = await request(`${baseUrl}${c.prime.path}`, { method: c.prime.method, headers: c.prime.headers, body: c.prime.body }).catch((err: Error) => err);
      if (primed instanceof Error || primed.status >= 500) {
        run.failures.push({ what: c.prime.what, via, problem: primed instanceof Error ? `no answer: ${primed.message}` : `answered ${primed.status}` });
        return;
      }
    }
    run.sent++;
    let res;
    try {
      res = await request(`${baseUrl}${c.path}`, { method: c.method, headers: c.headers, body: c.body });
    } catch (err) {
      run.failures.push({ what: c.what, via, problem: `no answer: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    const verdict = judge(c, res.status, res.body);
    run.statuses[verdict.status] = (run.statuses[verdict.status] ?? 0) + 1;
    if (verdict.problem) run.failures.push({ what: c.what, via, problem: verdict.problem });
  });
  return run;
}

/** Several runs as one. */
export function merge(...runs: HostileRun[]): HostileRun {
  const out: HostileRun = { sent: 0, failures: [], statuses: {} };
  for (const r of runs) {
    out.sent += r.sent;
    out.failures.push(...r.failures);
    for (const [s, n] of Object.entries(r.statuses)) out.statuses[s] = (out.statuses[s] ?? 0) + n;
  }
  return out;
}
