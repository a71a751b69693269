// The submit path every pool client shares: format the share, send sero_submitWork, and
// classify the reply. accepted: true; rejected: false or an error; stale: rejected after the
// job had moved on; dropped: not connected, or no reply came.
import type { Logger } from '../../util/log.js';
import { errorText } from '../wire/json-rpc.js';
import type { ShareResult, ShareStatus, ShareSubmission } from './pool-client.js';
import { formatSubmission, sameWork, type WorkPackage } from '../wire/work.js';

export interface ShareChannel {
  /** Whether a submission can go out now. */
  readonly connected: boolean;
  /** Who answers, for the messages: "pool" or "node". */
  readonly peer: string;
  /** Sends sero_submitWork; resolves with the reply object, rejects when none comes. */
  send(params: [string, string, string]): Promise<Record<string, unknown>>;
  /** The newest job once the reply is in: a share of an older one that is refused is stale. */
  current(): WorkPackage | undefined;
  readonly log: Logger;
}

/** Resolves with the verdict and never rejects; report sees every result, dropped ones too. */
export async function submitShare(share: ShareSubmission, channel: ShareChannel, report: (result: ShareResult) => void): Promise<ShareResult> {
  const started = Date.now();
  const finish = (status: ShareStatus, message?: string, unanswered?: true): ShareResult => {
    const result: ShareResult = { status, work: share.work, nonce: share.nonce, message, latencyMs: status === 'dropped' ? 0 : Date.now() - started, ...(unanswered ? { unanswered } : {}) };
    report(result);
    return result;
  };
  if (!channel.connected) return finish('dropped', 'not connected');
  let params: [string, string, string];
  try {
    params = formatSubmission(share.work, share.nonce, share.mixDigest);
  } catch (err) {
    return finish('rejected', (err as Error).message);
  }
  let reply: Record<string, unknown>;
  try {
    reply = await channel.send(params);
  } catch (err) {
    return finish('dropped', (err as Error).message, true);
  }
  if (reply.result === true && (reply.error === undefined || reply.error === null)) return finish('accepted');
  const status = sameWork(share.work, channel.current()) ? 'rejected' : 'stale';
  const message = reply.error !== undefined && reply.error !== null ? errorText(reply.error) : `${channel.peer} answered false`;
  channel.log(status === 'stale' ? 'info' : 'warn', `share ${status}: ${message}`);
  return finish(status, message);
}
