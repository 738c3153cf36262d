import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { ClaimNextResponse } from '@servicekit/contracts';
import { repMatch, type RepMatch } from '@servicekit/web/call-session';
import { ApiFailure, RepDeskApi } from '@servicekit/web/data-access';
import { FakeRepDeskApi, until } from '@servicekit/web/data-access/testing';
import { fakeCameraStream } from '@servicekit/web/video-call/testing';
import { CallbacksStore } from './callbacks.store';
import { ConsolePage } from './console.page';
import { ConsoleStep, ConsoleStore } from './console.store';

const CLAIM: ClaimNextResponse = {
  matchId: 'm_1',
  helpSession: { id: 'hs_1', customerName: 'Grace <i>Hopper</i>', problemText: 'My <b>router</b> blinks red.', waitedMs: 150_000 },
  video: { provider: 'p2p', sessionId: 'vs_1', token: 'video-token' },
  noShowMs: 5000,
};

/** The store's signals, set by the test; its actions recorded. */
class FakeConsoleStore {
  readonly step = signal<ConsoleStep>('devices');
  readonly localStream = signal<MediaStream | null>(null);
  readonly checkingDevices = signal(false);
  readonly deviceError = signal<string | null>(null);
  readonly checkOutcome = signal<'pass' | 'warn' | 'fail' | null>(null);
  readonly checkMessage = signal<string | null>(null);
  readonly cameras = signal([]);
  readonly microphones = signal([]);
  readonly camera = signal<string | null>(null);
  readonly microphone = signal<string | null>(null);
  readonly reconnecting = signal<string | null>(null);
  readonly chooseDevice = jest.fn(() => Promise.resolve());
  readonly match = signal<RepMatch | null>(null);
  readonly notice = signal<string | null>(null);
  readonly error = signal<string | null>(null);
  readonly autoNext = signal(false);
  readonly ending = signal(false);
  readonly repName = signal('Ada');
  readonly waiting = signal<number | null>(null);
  readonly connected = signal(false);
  readonly remoteStream = signal<MediaStream | null>(null);
  readonly muted = signal(false);
  readonly cameraOff = signal(false);
  readonly chat = signal(null);
  readonly checkDevices = jest.fn(() => Promise.resolve());
  readonly start = jest.fn();
  readonly next = jest.fn(() => Promise.resolve());
  readonly stopWaiting = jest.fn();
  readonly endCall = jest.fn(() => Promise.resolve());
  readonly signOut = jest.fn(() => Promise.resolve({}));
  readonly setAutoNext = jest.fn((on: boolean) => this.autoNext.set(on));
  readonly setMuted = jest.fn();
  readonly setCameraOff = jest.fn();
}

describe('ConsolePage', () => {
  let fixture: ComponentFixture<ConsolePage>;
  let store: FakeConsoleStore;
  let desk: FakeRepDeskApi;

  beforeEach(async () => {
    store = new FakeConsoleStore();
    desk = new FakeRepDeskApi();
    sessionStorage.setItem(
      'sk.rep',
      JSON.stringify({ token: 'rep-token', name: 'Ada', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), roles: ['rep'] }),
    );
    TestBed.configureTestingModule({ providers: [{ provide: RepDeskApi, useValue: desk }] });
    TestBed.overrideComponent(ConsolePage, { set: { providers: [{ provide: ConsoleStore, useValue: store }, CallbacksStore] } });
    fixture = TestBed.createComponent(ConsolePage);
    await fixture.whenStable();
  });

  function byTestId<T extends HTMLElement = HTMLElement>(id: string): T | null {
    return (fixture.nativeElement as HTMLElement).querySelector<T>(`[data-testid="${id}"]`);
  }

  async function show(step: ConsoleStep): Promise<void> {
    store.localStream.set(fakeCameraStream());
    store.connected.set(true);
    store.waiting.set(0);
    store.step.set(step);
    await fixture.whenStable();
  }

  it('should check camera, microphone and connection on arrival and offer to start once the check passes', async () => {
    expect(store.checkDevices).toHaveBeenCalled();
    expect(byTestId('rep-devices-ok')).toBeNull();
    expect(byTestId('precall-result')?.getAttribute('data-outcome')).toBe('checking');

    store.localStream.set(fakeCameraStream());
    await fixture.whenStable();
    expect(byTestId('rep-devices-ok')).toBeNull();
    store.checkOutcome.set('pass');
    store.checkMessage.set('Your connection is ready for a video call.');
    await fixture.whenStable();
    expect(byTestId('precall-result')?.textContent).toContain('Your connection is ready for a video call.');
    const start = byTestId<HTMLButtonElement>('rep-devices-ok');
    expect(start?.textContent?.trim()).toBe('Start taking customers');
    start?.click();

    expect(store.start).toHaveBeenCalled();
  });

  it('should say what is wrong with the camera or the connection and offer to check again', async () => {
    store.checkOutcome.set('fail');
    store.checkMessage.set('No camera or microphone was found. Connect one, then try again.');
    store.deviceError.set('No camera or microphone was found. Connect one, then try again.');
    await fixture.whenStable();

    expect(byTestId('precall-result')?.getAttribute('data-outcome')).toBe('fail');
    expect(byTestId('precall-result')?.textContent).toContain('No camera or microphone was found.');
    expect(byTestId('rep-devices-ok')).toBeNull();
    const retry = byTestId<HTMLButtonElement>('rep-devices-retry');
    expect(retry?.textContent?.trim()).toBe('Check again');
    retry?.click();
    expect(store.checkDevices).toHaveBeenCalledTimes(2);
  });

  it('should show how many customers wait and take the next one', async () => {
    await show('ready');
    store.waiting.set(3);
    await fixture.whenStable();

    expect(byTestId('waiting-count')?.textContent?.trim()).toBe('3 customers waiting');
    expect(byTestId('waiting-count')?.getAttribute('aria-live')).toBe('polite');
    const next = byTestId<HTMLButtonElement>('next-customer');
    expect(next?.textContent?.trim()).toBe('Next Customer');
    next?.click();
    expect(store.next).toHaveBeenCalled();

    store.waiting.set(1);
    await fixture.whenStable();
    expect(byTestId('waiting-count')?.textContent?.trim()).toBe('1 customer waiting');
  });

  it('should move focus to the heading of each new step', async () => {
    await show('waiting');

    const heading = (fixture.nativeElement as HTMLElement).querySelector('h1');
    expect(heading?.textContent).toContain('Waiting for the next customer…');
    expect(document.activeElement).toBe(heading);
  });

  it('should offer Stop waiting while waiting', async () => {
    await show('waiting');

    expect(byTestId('next-customer')).toBeNull();
    byTestId<HTMLButtonElement>('stop-waiting')?.click();
    expect(store.stopWaiting).toHaveBeenCalled();
  });

  it("should show the customer's name and problem as text, both videos and End Call", async () => {
    store.match.set(repMatch(CLAIM));
    await show('call');

    expect(byTestId('customer-name')?.textContent?.trim()).toBe('Grace <i>Hopper</i>');
    expect(byTestId('customer-problem')?.textContent?.trim()).toBe('My <b>router</b> blinks red.');
    expect(byTestId('customer-problem')?.querySelector('b')).toBeNull();
    expect((fixture.nativeElement as HTMLElement).querySelector('vc-remote-video video')).not.toBeNull();
    expect((fixture.nativeElement as HTMLElement).querySelector('vc-local-preview video')).not.toBeNull();

    const end = byTestId<HTMLButtonElement>('end-call');
    expect(end?.textContent?.trim()).toBe('End Call');
    end?.click();
    expect(store.endCall).toHaveBeenCalled();
  });

  it('should say the call is reconnecting, and keep the call on screen', async () => {
    store.match.set(repMatch(CLAIM));
    await show('call');
    store.reconnecting.set('The customer’s connection dropped. Reconnecting…');
    await fixture.whenStable();

    expect(byTestId('rep-reconnecting')?.textContent?.trim()).toBe('The customer’s connection dropped. Reconnecting…');
    expect((fixture.nativeElement as HTMLElement).querySelector('h1')?.textContent).toContain('Reconnecting to the customer…');
    expect(byTestId('end-call')).not.toBeNull();
  });

  it('should tell the rep what happened to the last call in a live region', async () => {
    await show('ready');
    store.notice.set('The customer left.');
    await fixture.whenStable();

    const notice = byTestId('rep-notice');
    expect(notice?.textContent?.trim()).toBe('The customer left.');
    expect(notice?.getAttribute('role')).toBe('status');
  });

  it('should let the rep turn on taking the next customer automatically', async () => {
    await show('ready');
    const checkbox = byTestId<HTMLInputElement>('auto-next');
    expect(checkbox?.closest('label')?.textContent).toContain('Take the next customer automatically');

    checkbox?.click();

    expect(store.setAutoNext).toHaveBeenCalledWith(true);
  });
});

describe('ConsolePage: callback requests', () => {
  const OLD = { id: 'cb_old', customerName: 'Old <b>Customer</b>', problemText: 'Invoice twice', requestedAt: '2025-01-01T09:00:00.000Z' };
  const NEW = { id: 'cb_new', customerName: 'New Customer', problemText: 'No sound', requestedAt: '2025-01-01T11:50:00.000Z' };
  let fixture: ComponentFixture<ConsolePage>;
  let desk: FakeRepDeskApi;

  const page = () => fixture.nativeElement as HTMLElement;
  const byTestId = <T extends HTMLElement = HTMLElement>(id: string) => page().querySelector<T>(`[data-testid="${id}"]`);
  const all = (id: string) => [...page().querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
  const panel = () => page().querySelector<HTMLElement>('sk-callbacks-panel');
  const settle = () =>
    until(() => desk.callbacks.mock.calls.length > 0 && !!byTestId('callbacks-count')?.textContent?.match(/\d/), 'the list');

  async function create(list: FakeRepDeskApi['list']): Promise<void> {
    sessionStorage.setItem(
      'sk.rep',
      JSON.stringify({ token: 'rep-token', name: 'Ada', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), roles: ['rep'] }),
    );
    desk = new FakeRepDeskApi();
    desk.list = list;
    TestBed.configureTestingModule({ providers: [{ provide: RepDeskApi, useValue: desk }] });
    TestBed.overrideComponent(ConsolePage, {
      set: { providers: [{ provide: ConsoleStore, useValue: new FakeConsoleStore() }, CallbacksStore] },
    });
    fixture = TestBed.createComponent(ConsolePage);
    await fixture.whenStable();
    await settle();
    await fixture.whenStable();
  }

  it('should show the count in the bar, and the open requests oldest first as text once opened', async () => {
    await create({ open: [OLD, NEW], claimedByYou: [] });

    expect(desk.callbacks).toHaveBeenCalledWith('rep-token');
    const toggle = byTestId<HTMLButtonElement>('callbacks-toggle');
    expect(toggle?.textContent?.replace(/\s+/g, ' ').trim()).toBe('Callbacks 2 open');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    expect(panel()?.hidden).toBe(true);

    toggle?.click();
    await fixture.whenStable();
    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    expect(panel()?.hidden).toBe(false);
    const items = [...(byTestId('callbacks-open')?.querySelectorAll('li') ?? [])];
    expect(items.map((item) => item.querySelector('.name')?.textContent)).toEqual(['Old <b>Customer</b>', 'New Customer']);
    expect(items[0]?.querySelector('b')).toBeNull();
    expect(items[0]?.querySelector('time')?.getAttribute('datetime')).toBe(OLD.requestedAt);
    expect(all('callback-claim').map((button) => button.getAttribute('aria-label'))).toEqual([
      'Claim the request of Old <b>Customer</b>',
      'Claim the request of New Customer',
    ]);
  });

  it('should claim a request, show its phone and email as links with focus on it, and delete it when done', async () => {
    await create({ open: [OLD, NEW], claimedByYou: [] });
    byTestId<HTMLButtonElement>('callbacks-toggle')?.click();
    await fixture.whenStable();
    desk.claimCallback.mockResolvedValueOnce({ ...OLD, phone: '+49 (30) 123-4567', email: 'old@example.com' });

    all('callback-claim')[0]?.click();
    await until(() => byTestId('callback-phone') !== null, 'the contact data');
    await fixture.whenStable();

    expect(desk.claimCallback).toHaveBeenCalledWith('rep-token', 'cb_old');
    expect(byTestId<HTMLAnchorElement>('callback-phone')?.getAttribute('href')).toBe('tel:+49301234567');
    expect(byTestId('callback-phone')?.textContent).toBe('+49 (30) 123-4567');
    expect(byTestId<HTMLAnchorElement>('callback-email')?.getAttribute('href')).toBe('mailto:old@example.com');
    expect((document.activeElement as HTMLElement | null)?.dataset['callback']).toBe('cb_old');
    expect(byTestId('callbacks-count')?.textContent).toBe('1 open, 1 yours');

    desk.list = { open: [NEW], claimedByYou: [] };
    byTestId<HTMLButtonElement>('callback-done')?.click();
    await until(() => byTestId('callback-phone') === null, 'the request to be closed');
    await fixture.whenStable();

    expect(desk.closeCallback).toHaveBeenCalledWith('rep-token', 'cb_old', 'done');
    expect(byTestId('callbacks-notice')?.textContent).toBe('Done: the request of Old <b>Customer</b> and its contact data are deleted.');
    expect(byTestId('callbacks-notice')?.getAttribute('role')).toBe('status');
  });

  it('should mark a request not reached', async () => {
    await create({ open: [], claimedByYou: [{ ...NEW, email: 'new@example.com' }] });
    desk.list = { open: [], claimedByYou: [] };

    byTestId<HTMLButtonElement>('callback-not-reached')?.click();
    await until(() => byTestId('callback-email') === null, 'the request to be closed');

    expect(desk.closeCallback).toHaveBeenCalledWith('rep-token', 'cb_new', 'not_reached');
    expect(byTestId('callbacks-notice')?.textContent).toContain('Marked not reached');
  });

  it('should tell a rep who lost the race that another representative took it, and read the list again', async () => {
    await create({ open: [OLD, NEW], claimedByYou: [] });
    byTestId<HTMLButtonElement>('callbacks-toggle')?.click();
    await fixture.whenStable();
    desk.claimCallback.mockRejectedValueOnce(
      new ApiFailure(409, 'Another representative has already taken this callback request.', 'already_taken'),
    );
    desk.list = { open: [NEW], claimedByYou: [] };
    const readsBefore = desk.callbacks.mock.calls.length;

    all('callback-claim')[0]?.click();
    await until(() => byTestId('callbacks-notice')?.textContent !== '', 'the notice');
    await until(() => desk.callbacks.mock.calls.length > readsBefore && all('callback-claim').length === 1, 'the list again');

    expect(byTestId('callbacks-notice')?.textContent).toBe('Another representative took this request.');
    expect(byTestId('callback-phone')).toBeNull();
    expect(byTestId('callbacks-count')?.textContent).toBe('1 open');
  });

  it('should open the panel by itself when the rep has requests to call back', async () => {
    await create({ open: [], claimedByYou: [{ ...OLD, phone: '+4930111111' }] });

    expect(panel()?.hidden).toBe(false);
    expect(byTestId('callbacks-count')?.textContent).toBe('0 open, 1 yours');
    expect(byTestId('callbacks-open')?.textContent).toContain('No open requests.');
  });
});
