import { InMemoryStore } from '@servicekit/api/store';
import { helpSessionsOn } from '../testing';
import { HelpSessionIdPipe } from './help-session-id.pipe';
import { HelpSessionNotFoundError } from './help-session.errors';

describe('HelpSessionIdPipe', () => {
  const pipe = new HelpSessionIdPipe();

  it('should pass every id the service creates', async () => {
    const store = new InMemoryStore();
    const { sessions } = helpSessionsOn(store);
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
