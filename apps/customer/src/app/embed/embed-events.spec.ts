import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { AppToHostMessage } from '@servicekit/contracts';
import { type CallSessionState, CustomerCallSession, type CustomerMatch } from '@servicekit/web/call-session';
import { HelpStore, type HelpStep } from '../help/help.store';
import { EmbedBridge } from './embed-bridge.service';
import { EmbedEvents } from './embed-events';

const MATCH: CustomerMatch = { matchId: 'm_1', repName: 'Grace', video: { provider: 'p2p', sessionId: 'vs', token: 't' } };

describe('EmbedEvents', () => {
  const state = signal<CallSessionState<CustomerMatch>>({ kind: 'offline' });
  const step = signal<HelpStep>('form');
  let posted: AppToHostMessage[];
  let endHandler: (() => Promise<void>) | null;
  const store = { step, cancel: jest.fn(() => Promise.resolve()), end: jest.fn(() => Promise.resolve()) };

  beforeEach(() => {
    posted = [];
    endHandler = null;
    state.set({ kind: 'offline' });
    step.set('form');
    store.cancel.mockClear();
    store.end.mockClear();
    TestBed.configureTestingModule({
      providers: [
        EmbedEvents,
        { provide: CustomerCallSession, useValue: { state } },
        { provide: HelpStore, useValue: store },
        {
          provide: EmbedBridge,
          useValue: {
            post: (message: AppToHostMessage) => posted.push(message),
            onEnd: (handler: typeof endHandler) => (endHandler = handler),
          },
        },
      ],
    });
    TestBed.inject(EmbedEvents);
  });

  const go = (next: CallSessionState<CustomerMatch>) => {
    state.set(next);
    TestBed.tick();
  };
  const types = () =>
    posted.map((m) => (m.type === 'queued' ? `queued ${m.position}` : m.type === 'call-ended' ? `ended ${m.reason}` : m.type));

  it('should tell the host each new position, the call and its end, once each and without personal data', () => {
    go({ kind: 'connecting' });
    go({ kind: 'waiting', position: 2, estimatedWaitMs: 60_000, handedBack: false });
    go({ kind: 'waiting', position: 2, estimatedWaitMs: 30_000, handedBack: false });
    go({ kind: 'waiting', position: 1, estimatedWaitMs: 30_000, handedBack: false });
    go({ kind: 'reserved', match: MATCH, acknowledged: true, mediaReported: false });
    go({ kind: 'in-call', match: MATCH, mediaReported: false });
    go({ kind: 'in-call', match: MATCH, mediaReported: true });
    go({ kind: 'ended', reason: 'rep-ended', match: MATCH });
    expect(types()).toEqual(['queued 2', 'queued 1', 'call-started', 'ended rep-ended']);
    expect(JSON.stringify(posted)).not.toMatch(/Grace|m_1/);
  });

  it('should not report the end of a request that never ran on this page', () => {
    go({ kind: 'ended', reason: 'refused', match: null });
    go({ kind: 'ended', reason: 'customer-ended', match: null });
    expect(posted).toEqual([]);
  });

  it('should leave the queue when the widget closes while waiting, and end a call when it closes in one', async () => {
    go({ kind: 'waiting', position: 1, estimatedWaitMs: 0, handedBack: false });
    step.set('waiting');
    store.cancel.mockImplementationOnce(() => {
      state.set({ kind: 'ended', reason: 'cancelled', match: null });
      return Promise.resolve();
    });
    await endHandler?.();
    expect(store.cancel).toHaveBeenCalled();
    expect(types()).toEqual(['queued 1', 'ended cancelled']);

    step.set('in-call');
    await endHandler?.();
    expect(store.end).toHaveBeenCalled();
    step.set('form');
    await endHandler?.();
    expect(store.end).toHaveBeenCalledTimes(1);
  });
});
