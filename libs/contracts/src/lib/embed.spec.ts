import { EMBED_CONTEXT_RULES, parseAppMessage, parseHostMessage } from './embed';

describe('embed messages', () => {
  it('should read the messages the embed page sends, and nothing else', () => {
    expect(parseAppMessage({ source: 'servicekit', type: 'ready' })).toEqual({ source: 'servicekit', type: 'ready' });
    expect(parseAppMessage({ source: 'servicekit', type: 'queued', position: 2, name: 'Ada' })).toEqual({
      source: 'servicekit',
      type: 'queued',
      position: 2,
    });
    expect(parseAppMessage({ source: 'servicekit', type: 'call-ended', reason: 'rep-ended' })).toEqual({
      source: 'servicekit',
      type: 'call-ended',
      reason: 'rep-ended',
    });
    for (const other of [
      null,
      'ready',
      { type: 'ready' },
      { source: 'other', type: 'ready' },
      { source: 'servicekit', type: 'queued', position: 0 },
      { source: 'servicekit', type: 'queued', position: '1' },
      { source: 'servicekit', type: 'call-ended', reason: 'because' },
      { source: 'servicekit', type: 'context', token: 'x' },
    ]) {
      expect(parseAppMessage(other)).toBeNull();
    }
  });

  it('should read the messages the loader sends, with a bounded token, and nothing else', () => {
    expect(parseHostMessage({ source: 'servicekit', type: 'context', token: 'a.b.c' })).toEqual({
      source: 'servicekit',
      type: 'context',
      token: 'a.b.c',
    });
    expect(parseHostMessage({ source: 'servicekit', type: 'end' })).toEqual({ source: 'servicekit', type: 'end' });
    for (const other of [
      { source: 'servicekit', type: 'context', token: '' },
      { source: 'servicekit', type: 'context', token: 7 },
      { source: 'servicekit', type: 'context', token: 'x'.repeat(EMBED_CONTEXT_RULES.tokenMax + 1) },
      { source: 'servicekit', type: 'ready' },
      { source: 'elsewhere', type: 'end' },
    ]) {
      expect(parseHostMessage(other)).toBeNull();
    }
  });
});
