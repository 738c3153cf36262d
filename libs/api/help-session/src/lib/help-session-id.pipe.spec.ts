import { loadServiceKitConfig } from '@servicekit/api/config';
import { MatchRecords, MatchService } from '@servicekit/api/match';
import { RecordingNotifier, SettablePresence } from '@servicekit/api/match/testing';
import { ServiceKitMetrics } from '@servicekit/api/metrics';
import { intakeFor } from '@servicekit/api/hours/testing';
import { HelpQueue } from '@servicekit/api/queue';
import { TokenService } from '@servicekit/api/rep-auth';
import { InMemoryStore } from '@servicekit/api/store';
import { PeerVideoProvider } from '@servicekit/api/video';
import { EmbedContextVerifier } from './embed-context.verifier';
import { HelpSessionIdPipe } from './help-session-id.pipe';
import { HelpSessionNotFoundError } from './help-session.errors';
import { HelpSessionRecords } from './help-session.records';
import { HelpSessionService } from './help-session.service';

describe('HelpSessionIdPipe', () => {
  const pipe = new HelpSessionIdPipe();

  it('should pass every id the service creates', async () => {
    const config = loadServiceKitConfig({ TOKEN_SECRET: 's'.repeat(40) });
    const store = new InMemoryStore();
    const video = new PeerVideoProvider({ tokenSecret: config.tokenSecret });
    const queue = new HelpQueue(store);
    const records = new HelpSessionRecords(store);
    const presence = new SettablePresence();
    const notifier = new RecordingNotifier();
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
      intakeFor(store, queue),
    );
    for (let i = 0; i < 50; i++) {
      const { id } = await sessions.create('Ada', 'Router blinks');
      expect(pipe.transform(id)).toBe(id);
    }
    await store.close();
  });

  it.each([
    'a b',
    'a\tb',
    'a\0b',
    '%',
    '',
    'x'.repeat(21),
    'x'.repeat(23),
    'x'.repeat(240),
    'AAAAAAAAAAAAAAAAAAAA/+',
    'AAAAAAAAAAAAAAAAAAAAA😀',
  ])('should refuse %j as a help session that does not exist', (id) => {
    expect(() => pipe.transform(id)).toThrow(HelpSessionNotFoundError);
  });

  it('should refuse a value that is not a string', () => {
    expect(() => pipe.transform(['AAAAAAAAAAAAAAAAAAAAAA'])).toThrow(HelpSessionNotFoundError);
  });
});
