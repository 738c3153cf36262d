import { validSignal } from './presence.gateway';

describe('validSignal', () => {
  it('should accept readies, offers, answers, ICE candidates and hangups in their exact shape', () => {
    expect(validSignal({ kind: 'ready' })).toEqual({ kind: 'ready' });
    expect(validSignal({ kind: 'offer', sdp: 'v=0' })).toEqual({ kind: 'offer', sdp: 'v=0' });
    expect(validSignal({ kind: 'answer', sdp: 'v=0' })).toEqual({ kind: 'answer', sdp: 'v=0' });
    expect(validSignal({ kind: 'answer', sdp: 'v=0', offerId: '42.2' })).toEqual({ kind: 'answer', sdp: 'v=0', offerId: '42.2' });
    expect(validSignal({ kind: 'ice', candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 } })).toEqual({
      kind: 'ice',
      candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0 },
    });
    expect(validSignal({ kind: 'hangup' })).toEqual({ kind: 'hangup' });
  });

  it.each([
    ['null', null],
    ['a string', 'offer'],
    ['an unknown kind', { kind: 'bye' }],
    ['an offer without sdp', { kind: 'offer' }],
    ['an offer with extra fields', { kind: 'offer', sdp: 'v=0', to: 'someone-else' }],
    ['an sdp that is not text', { kind: 'answer', sdp: 42 }],
    ['an ICE candidate of the wrong type', { kind: 'ice', candidate: { candidate: 1 } }],
    ['an answer to an offer id that is not text', { kind: 'answer', sdp: 'v=0', offerId: 7 }],
    ['an answer with extra fields', { kind: 'answer', sdp: 'v=0', offerId: '1.1', to: 'x' }],
    ['a ready with extra fields', { kind: 'ready', peer: 'x' }],
    ['an oversized offer', { kind: 'offer', sdp: 'x'.repeat(20_000) }],
  ])('should refuse %s', (_, body) => {
    expect(validSignal(body)).toBeNull();
  });

  it('should judge a signal nested thousands deep without walking it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(validSignal({ kind: 'offer', sdp: deep })).toBeNull();
    expect(validSignal({ kind: 'ice', candidate: { candidate: 'candidate:1', extra: deep } })).toEqual({
      kind: 'ice',
      candidate: { candidate: 'candidate:1', sdpMid: null, sdpMLineIndex: null },
    });
  });
});
