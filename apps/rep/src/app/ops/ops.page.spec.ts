import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type {
  CallbackFigures,
  IntakeStateResponse,
  OpsFeedbackResponse,
  OpsRepEntry,
  OpsRepsResponse,
  RepRole,
} from '@servicekit/contracts';
import { OpsQueueView } from './ops-queue';
import { OpsPage, REFRESH_MS } from './ops.page';

const TOKEN = 'supervisor-token-for-the-page-spec';

const rep = (overrides: Partial<OpsRepEntry> = {}): OpsRepEntry => ({
  repId: 'rep_1_a',
  name: 'Ada L.',
  account: 'account:ada',
  roles: ['rep'],
  via: 'account',
  signedInAt: '2025-01-01T09:00:00.000Z',
  status: 'in-call',
  connected: true,
  inCall: true,
  since: '2025-01-01T11:50:00.000Z',
  callsToday: 3,
  meanHandleMs: 245_000,
  ...overrides,
});
const reps = (entries: OpsRepEntry[] = [rep()]): OpsRepsResponse => ({ reps: entries, generatedAt: '2025-01-01T12:00:00.000Z' });

const view = (overrides: Partial<OpsQueueView> = {}): OpsQueueView => ({
  queueLength: 2,
  oldestWaitMs: 75_000,
  waiting: [
    { helpSessionId: 'a', position: 1, waitedMs: 75_000, connected: true },
    { helpSessionId: 'b', position: 2, waitedMs: 4_000, connected: false },
  ],
  repsOnline: 3,
  repsBusy: 1,
  callsInProgress: 1,
  generatedAt: '2025-01-01T12:00:00.000Z',
  ...overrides,
});

const intake = (overrides: Partial<IntakeStateResponse> = {}): IntakeStateResponse => ({
  paused: false,
  pausedUntil: null,
  withinOpeningHours: true,
  opensAt: null,
  ...overrides,
});
const figures = (overrides: Partial<CallbackFigures> = {}): CallbackFigures => ({
  open: 2,
  claimed: 1,
  done: 7,
  notReached: 3,
  ...overrides,
});
const feedback = (comments = false): OpsFeedbackResponse => ({
  days: [
    {
      date: '2025-01-02',
      count: 4,
      mean: 4.25,
      histogram: [0, 0, 1, 1, 2],
      ...(comments ? { comments: [{ rating: 2, comment: 'The <b>sound</b> was bad.' }] } : {}),
    },
    { date: '2025-01-01', count: 0, mean: null, histogram: [0, 0, 0, 0, 0], ...(comments ? { comments: [] } : {}) },
  ],
  commentRetentionDays: 30,
});

describe('OpsPage', () => {
  let fixture: ComponentFixture<OpsPage>;
  let http: HttpTestingController;

  const page = () => fixture.nativeElement as HTMLElement;
  /** The element, or a clear failure when the page does not have it. */
  const find = <T extends Element = HTMLElement>(selector: string): T => {
    const element = page().querySelector<T>(selector);
    if (!element) throw new Error(`The page has no ${selector}.`);
    return element;
  };
  const text = () => page().textContent?.replace(/\s+/g, ' ') ?? '';
  const render = async () => {
    fixture.detectChanges();
    await fixture.whenStable();
  };
  /** Lets the awaited HTTP reply settle, then renders. */
  const settle = async () => {
    await Promise.resolve();
    await render();
  };
  const expectQueueRequest = (url = '/api/ops/queue') => {
    const request = http.expectOne(url);
    expect(request.request.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    return request;
  };

  const expectRepsRequest = () => {
    const request = http.expectOne('/api/ops/reps');
    expect(request.request.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    return request;
  };
  /** The reads that come with every refresh besides the queue and the reps, and the feedback now and then. */
  const answerService = (state: IntakeStateResponse = intake(), counts: CallbackFigures = figures(), report = feedback()) => {
    const intakeRequest = http.expectOne('/api/ops/intake');
    expect(intakeRequest.request.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    intakeRequest.flush(state);
    http.expectOne('/api/ops/callbacks').flush(counts);
    http.match((request) => request.url.startsWith('/api/ops/feedback')).forEach((request) => request.flush(report));
  };
  /** One refresh: the queue, the reps, intake, callback counts (and feedback when asked). */
  const answer = async (queue: OpsQueueView = view(), signedIn: OpsRepsResponse = reps(), url?: string) => {
    expectQueueRequest(url).flush(queue);
    expectRepsRequest().flush(signedIn);
    answerService();
    await settle();
    await settle();
  };
  /** Every open request of the page fails with this status (0: the network). */
  const failAll = async (status: number, message = 'A supervisor signed you out.') => {
    for (const request of http.match(() => true)) {
      if (status === 0) request.error(new ProgressEvent('error'));
      else request.flush({ statusCode: status, message }, { status, statusText: 'Error' });
    }
    await settle();
    await settle();
  };

  /** Opens the page with this tab signed in with these roles (or not signed in at all). */
  async function create(roles: RepRole[] | null) {
    sessionStorage.clear();
    if (roles) {
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
      sessionStorage.setItem('sk.rep', JSON.stringify({ token: TOKEN, name: 'Sue', expiresAt, roles, via: 'account' }));
    }
    await TestBed.configureTestingModule({
      imports: [OpsPage],
      providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([])],
    }).compileComponents();
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(OpsPage);
    await render();
  }

  afterEach(() => {
    fixture?.destroy();
    http?.verify();
    jest.useRealTimers();
  });

  it('should send someone not signed in to the sign-in page, after asking the server for a session cookie', async () => {
    await create(null);
    http
      .expectOne('/api/reps/sessions/current')
      .flush({ statusCode: 401, message: 'Sign in first.' }, { status: 401, statusText: 'Unauthorized' });
    await settle();
    await settle();
    expect(find('[data-testid="ops-sign-in"]').textContent).toContain('Sign in as a supervisor');
    expect(find<HTMLAnchorElement>('[data-testid="ops-sign-in"] a').getAttribute('href')).toBe('/?next=ops');
    http.expectNone('/api/ops/queue');
  });

  it('should tell a rep without the supervisor role that the page is not for them', async () => {
    await create(['rep']);
    expect(find('[data-testid="ops-not-supervisor"]').textContent).toContain('with the rep role only');
    http.expectNone('/api/ops/queue');
  });

  it('should show the queue as an accessible table without names', async () => {
    await create(['rep', 'supervisor']);
    await answer();

    expect(page().querySelector('[aria-live="polite"]')?.textContent).toContain(
      '2 customers waiting, the longest for 1 min 15 s. 3 reps online, 1 busy. 1 call in progress.',
    );
    const table = find('table');
    expect(table.querySelector('caption')?.textContent).toContain('Customers waiting');
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim())).toEqual(['Position', 'Waiting for', 'Connected']);
    const rows = [...table.querySelectorAll('tbody tr')].map((row) => [...row.children].map((cell) => cell.textContent?.trim()));
    expect(rows).toEqual([
      ['1', '1 min 15 s', 'Connected'],
      ['2', '4 s', 'Not connected'],
    ]);
  });

  it('should list the reps signed in with their status, call and figures of today', async () => {
    await create(['rep', 'supervisor']);
    await answer(
      view(),
      reps([
        rep(),
        rep({ repId: 'rep_2_b', name: 'Grace', status: 'away', connected: false, inCall: false, callsToday: 0, meanHandleMs: null }),
      ]),
    );

    const rows = [...find('[data-testid="reps-table"]').querySelectorAll('tbody tr')].map((row) =>
      [...row.children].map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim()),
    );
    expect(rows[0]).toEqual(['Ada L.', 'In a call', 'Yes', expect.any(String), '3', '4 min 05 s', 'Sign out']);
    expect(rows[1]).toEqual(['Grace', 'Away (console closed)', 'No', expect.any(String), '0', '—', 'Sign out']);
    expect(find('button[aria-label="Sign out Grace"]')).toBeTruthy();
  });

  it('should sign a rep out and say so', async () => {
    await create(['rep', 'supervisor']);
    await answer();

    find<HTMLButtonElement>('button[aria-label="Sign out Ada L."]').click();
    const request = http.expectOne('/api/ops/reps/rep_1_a/session');
    expect(request.request.method).toBe('DELETE');
    expect(request.request.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    request.flush(null, { status: 204, statusText: 'No Content' });
    await settle();
    await settle();
    expect(text()).toContain('Ada L. has been signed out.');
    expect(text()).toContain('No representative is signed in.');
  });

  it('should ask for names only when "show names" is on, and drop them when it is off', async () => {
    await create(['rep', 'supervisor']);
    await answer();

    const toggle = find<HTMLInputElement>('input[type="checkbox"]');
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change'));
    await render();
    await answer(
      view({
        waiting: [{ helpSessionId: 'a', position: 1, waitedMs: 1_000, connected: true, customerName: 'Ada', problemText: '<b>Router</b>' }],
        queueLength: 1,
      }),
      reps([]),
      '/api/ops/queue?pii=1',
    );
    expect(text()).toContain('Ada');
    // Rendered as text, never as HTML.
    expect(page().querySelector('tbody b')).toBeNull();
    expect(text()).toContain('<b>Router</b>');

    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
    await render();
    expect(text()).not.toContain('<b>Router</b>');
    await answer(view(), reps([]));
  });

  it('should refresh by itself every few seconds', async () => {
    jest.useFakeTimers();
    await create(['rep', 'supervisor']);
    await answer();

    jest.advanceTimersByTime(REFRESH_MS);
    await answer(view({ queueLength: 0, oldestWaitMs: 0, waiting: [] }));
    expect(text()).toContain('0 customers waiting.');
    expect(text()).toContain('Nobody is waiting.');
  });

  it('should stop and send the supervisor to sign in again when the session has ended (401)', async () => {
    jest.useFakeTimers();
    await create(['rep', 'supervisor']);
    expectQueueRequest();
    await failAll(401);

    expect(page().querySelector('[role="alert"]')?.textContent).toContain('A supervisor signed you out.');
    expect(find('[data-testid="ops-sign-in"]')).toBeTruthy();
    expect(sessionStorage.getItem('sk.rep')).toBeNull();
    jest.advanceTimersByTime(REFRESH_MS * 3);
    http.expectNone('/api/ops/queue');
  });

  it('should say when the server cannot be reached, and keep trying', async () => {
    jest.useFakeTimers();
    await create(['rep', 'supervisor']);
    expectQueueRequest();
    await failAll(0);
    expect(page().querySelector('[role="alert"]')?.textContent).toContain('Cannot reach the server');

    jest.advanceTimersByTime(REFRESH_MS);
    await answer();
    expect(page().querySelector('[role="alert"]')).toBeNull();
  });

  it('should show intake, the opening hours, the callback counts and the ratings per day', async () => {
    await create(['rep', 'supervisor']);
    await answer();

    expect(find('[data-testid="intake-state"]').textContent?.trim()).toBe('Open to new customers');
    expect(find('[data-testid="opening-hours"]').textContent?.trim()).toBe('Open now');
    const counts = [...find('[data-testid="callback-counts"]').querySelectorAll('div')].map((d) => [
      d.querySelector('dt')?.textContent?.trim(),
      d.querySelector('dd')?.textContent?.trim(),
    ]);
    expect(counts).toEqual([
      ['Open', '2'],
      ['Claimed', '1'],
      ['Done', '7'],
      ['Not reached', '3'],
    ]);
    const days = [...find('[data-testid="feedback-table"]').querySelectorAll('tbody tr')].map((row) =>
      [...row.children].map((cell) => cell.textContent?.trim()),
    );
    expect(days).toEqual([
      [expect.stringMatching(/2/), '4', '4.3'],
      [expect.stringMatching(/1/), '0', '—'],
    ]);
    expect(find('[data-testid="feedback-today"]').textContent?.replace(/\s+/g, ' ').trim()).toBe('4.3 of 5 (4 ratings)');
    expect(text()).toContain('they are deleted after 30 days');
    expect(text()).not.toContain('sound');
  });

  it('should say when the service is closed and when it opens', async () => {
    await create(['rep', 'supervisor']);
    expectQueueRequest().flush(view());
    expectRepsRequest().flush(reps());
    http.expectOne('/api/ops/intake').flush(intake({ withinOpeningHours: false, opensAt: '2025-01-06T08:00:00.000Z' }));
    http.expectOne('/api/ops/callbacks').flush(figures());
    http.match(() => true).forEach((request) => request.flush(feedback()));
    await settle();
    await settle();

    const hours = find('[data-testid="opening-hours"]').textContent ?? '';
    expect(hours).toMatch(/^Closed now; opens /);
    expect(hours).toContain(new Date('2025-01-06T08:00:00.000Z').toLocaleString([], { hour: '2-digit', minute: '2-digit' }));
  });

  it('should pause intake only after a confirmation that says what it means, then show it paused and resume', async () => {
    await create(['rep', 'supervisor']);
    await answer();

    find<HTMLButtonElement>('[data-testid="intake-pause"]').click();
    await render();
    http.expectNone('/api/ops/intake/pause');
    const confirmation = find('[data-testid="intake-confirm"]');
    expect(confirmation.getAttribute('role')).toBe('group');
    expect(confirmation.textContent).toContain('Waiting customers are still served; new customers see the closed message.');
    expect(document.activeElement).toBe(find('[data-testid="intake-pause-confirm"]'));
    const minutes = find<HTMLSelectElement>('[data-testid="intake-minutes"]');
    minutes.value = '30';
    minutes.dispatchEvent(new Event('change'));
    find<HTMLButtonElement>('[data-testid="intake-pause-confirm"]').click();

    const pause = http.expectOne('/api/ops/intake/pause');
    expect([pause.request.method, pause.request.body, pause.request.headers.get('Authorization')]).toEqual([
      'POST',
      { minutes: 30 },
      `Bearer ${TOKEN}`,
    ]);
    pause.flush(intake({ paused: true, pausedUntil: '2025-01-01T12:30:00.000Z' }));
    await settle();
    await settle();
    expect(find('[data-testid="intake-state"]').textContent).toMatch(/^\s*Paused until /);
    expect(find('[data-testid="intake-notice"]').textContent).toMatch(/^Intake paused until .+\.$/);
    expect(find('[data-testid="intake-notice"]').getAttribute('role')).toBe('status');

    find<HTMLButtonElement>('[data-testid="intake-resume"]').click();
    const resume = http.expectOne('/api/ops/intake/resume');
    expect(resume.request.method).toBe('POST');
    resume.flush(intake());
    await settle();
    await settle();
    expect(find('[data-testid="intake-state"]').textContent?.trim()).toBe('Open to new customers');
    expect(find('[data-testid="intake-notice"]').textContent).toBe('Intake resumed: new customers can join the queue again.');
  });

  it('should not pause when the confirmation is cancelled, and give focus back', async () => {
    await create(['rep', 'supervisor']);
    await answer();

    find<HTMLButtonElement>('[data-testid="intake-pause"]').click();
    await render();
    find<HTMLButtonElement>('[data-testid="intake-pause-cancel"]').click();
    await render();

    http.expectNone('/api/ops/intake/pause');
    expect(page().querySelector('[data-testid="intake-confirm"]')).toBeNull();
    expect(document.activeElement).toBe(find('[data-testid="intake-pause"]'));
  });

  it('should say why intake could not be changed', async () => {
    await create(['rep', 'supervisor']);
    await answer();
    find<HTMLButtonElement>('[data-testid="intake-pause"]').click();
    await render();
    find<HTMLButtonElement>('[data-testid="intake-pause-confirm"]').click();
    http
      .expectOne('/api/ops/intake/pause')
      .flush(
        { statusCode: 400, code: 'validation_failed', message: 'The length of the pause (minutes) must be a whole number from 1 to 720.' },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle();
    await settle();
    expect(find('[data-testid="intake-notice"]').textContent).toBe(
      'The length of the pause (minutes) must be a whole number from 1 to 720.',
    );
    expect(find('[data-testid="intake-state"]').textContent?.trim()).toBe('Open to new customers');
  });

  it('should read the comments only on demand, show them as text, and drop them when hidden', async () => {
    await create(['rep', 'supervisor']);
    await answer();

    const toggle = find<HTMLButtonElement>('[data-testid="feedback-comments-toggle"]');
    expect([toggle.textContent?.trim(), toggle.getAttribute('aria-expanded')]).toEqual(['Show comments', 'false']);
    toggle.click();
    await render();
    const request = http.expectOne('/api/ops/feedback?days=7&comments=1');
    expect(request.request.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    request.flush(feedback(true));
    await settle();
    await settle();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    const comments = find('[data-testid="feedback-comments"]');
    expect(comments.textContent).toContain('2 of 5 The <b>sound</b> was bad.');
    expect(comments.querySelector('b')).toBeNull();

    toggle.click();
    await render();
    http.expectOne('/api/ops/feedback?days=7').flush(feedback());
    await settle();
    expect(text()).not.toContain('sound');
  });

  it('should take the supervisor from the feedback of today to the ratings per day', async () => {
    await create(['rep', 'supervisor']);
    document.body.appendChild(fixture.nativeElement as HTMLElement);
    await answer();
    // jsdom does not lay out, so it has no scrollIntoView: record the call instead.
    const original = Element.prototype.scrollIntoView;
    const scrolled = jest.fn();
    Element.prototype.scrollIntoView = scrolled;
    try {
      find<HTMLButtonElement>('[data-testid="feedback-jump"]').click();

      expect(document.activeElement?.id).toBe('feedback-title');
      expect(scrolled).toHaveBeenCalled();
    } finally {
      Element.prototype.scrollIntoView = original;
    }
  });
});
