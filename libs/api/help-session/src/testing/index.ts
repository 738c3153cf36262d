import { loadServiceKitConfig, type ServiceKitConfig } from '@servicekit/api/config';
import { intakeFor } from '@servicekit/api/hours/testing';
import { MatchRecords, MatchService } from '@servicekit/api/match';
import { RecordingNotifier, SettablePresence } from '@servicekit/api/match/testing';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { HelpQueue } from '@servicekit/api/queue';
import { TokenService } from '@servicekit/api/rep-auth';
import type { KeyValueStore } from '@servicekit/api/store';
import { PeerVideoProvider } from '@servicekit/api/video';
import { EmbedContextVerifier } from '../lib/embed-context.verifier';
import { SessionErasure } from '../lib/help-session.ports';
import { HelpSessionRecords } from '../lib/help-session.records';
import { HelpSessionService } from '../lib/help-session.service';

export interface HelpSessionsOptions {
  /** The config the services read (default: a token secret and nothing else). */
  config?: ServiceKitConfig;
  notifier?: RecordingNotifier;
  /** What the end of a help session erases elsewhere (default: nothing, as without chat). */
  erasure?: SessionErasure;
}

const NOTHING_TO_ERASE: SessionErasure = { erase: async () => undefined };

/**
 * One API instance's help sessions on a test's store, wired as the API module wires them, with the doubles a
 * unit test reads back (recorded pushes, settable presence). `matches.onModuleDestroy()` stops its timers.
 */
export function helpSessionsOn(store: KeyValueStore, options: HelpSessionsOptions = {}) {
  const config = options.config ?? loadServiceKitConfig({ TOKEN_SECRET: 's'.repeat(40) });
  const notifier = options.notifier ?? new RecordingNotifier();
  const queue = new HelpQueue(store);
  const video = new PeerVideoProvider({ tokenSecret: config.tokenSecret });
  const records = new HelpSessionRecords(store);
  const presence = new SettablePresence();
  const metrics = new ServiceKitMetrics();
  const matches = new MatchService(new MatchRecords(store), queue, video, records, presence, notifier, metrics, config, store);
  const sessions = new HelpSessionService(
    records,
    queue,
    matches,
    video,
    new TokenService(config),
    presence,
    notifier,
    metrics,
    new EmbedContextVerifier(config),
    // Always open, no limits, one free rep online.
    intakeFor(store, queue),
    options.erasure ?? NOTHING_TO_ERASE,
  );
  return { config, store, queue, video, records, presence, notifier, metrics, matches, sessions };
}
