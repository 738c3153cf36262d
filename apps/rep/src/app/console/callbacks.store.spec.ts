import { TestBed } from '@angular/core/testing';
import { ApiFailure, RepDeskApi } from '@servicekit/web/data-access';
import { FakeRepDeskApi } from '@servicekit/web/data-access/testing';
import { CONSOLE_CONFIG } from './console.config';
import { CallbacksStore } from './callbacks.store';

const REFRESH_MS = 5000;

describe('CallbacksStore', () => {
  let desk: FakeRepDeskApi;
  let store: CallbacksStore;

  /** Lets the awaited fake answers settle (fake timers do not run promise callbacks). */
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  beforeEach(() => {
    jest.useFakeTimers();
    sessionStorage.setItem(
      'sk.rep',
      JSON.stringify({ token: 'rep-token', name: 'Ada', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), roles: ['rep'] }),
    );
    desk = new FakeRepDeskApi();
    TestBed.configureTestingModule({
      providers: [
        CallbacksStore,
        { provide: RepDeskApi, useValue: desk },
        { provide: CONSOLE_CONFIG, useValue: { minClaimIntervalMs: 0, callbackRefreshMs: REFRESH_MS } },
      ],
    });
    store = TestBed.inject(CallbacksStore);
  });

  afterEach(() => {
    store.stop();
    jest.useRealTimers();
  });

  it('should read the list at once, then every few seconds, and when the window regains focus', async () => {
    store.start();
    await flush();
    expect(desk.callbacks).toHaveBeenCalledTimes(1);

    jest.advanceTimersByTime(REFRESH_MS - 1);
    await flush();
    expect(desk.callbacks).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1);
    await flush();
    expect(desk.callbacks).toHaveBeenCalledTimes(2);

    window.dispatchEvent(new Event('focus'));
    await flush();
    expect(desk.callbacks).toHaveBeenCalledTimes(3);
  });

  it('should stop reading once stopped', async () => {
    store.start();
    await flush();
    store.stop();
    jest.advanceTimersByTime(REFRESH_MS * 3);
    window.dispatchEvent(new Event('focus'));
    await flush();
    expect(desk.callbacks).toHaveBeenCalledTimes(1);
  });

  it('should say when the list cannot be read, keep trying, and clear the message once it can', async () => {
    desk.callbacks.mockRejectedValueOnce(new ApiFailure(0, 'The service cannot be reached.', 'network'));
    store.start();
    await flush();
    expect(store.error()).toBe('The callback requests cannot be loaded right now. Retrying every few seconds.');

    jest.advanceTimersByTime(REFRESH_MS);
    await flush();
    expect(store.error()).toBeNull();
    expect(store.loaded()).toBe(true);
  });

  it('should stop asking when the sign-in has ended', async () => {
    desk.callbacks.mockRejectedValueOnce(new ApiFailure(401, 'A supervisor signed you out.', 'unauthorized'));
    store.start();
    await flush();
    jest.advanceTimersByTime(REFRESH_MS * 3);
    await flush();
    expect(desk.callbacks).toHaveBeenCalledTimes(1);
    expect(store.error()).toBe('A supervisor signed you out.');
  });
});
