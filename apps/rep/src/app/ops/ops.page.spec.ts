import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { OpsQueueView } from './ops-queue';
import { OPS_TOKEN_KEY, OpsPage, REFRESH_MS } from './ops.page';

const TOKEN = 'ops-token-for-the-page-spec';

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

  async function create(storedToken: string | null) {
    sessionStorage.clear();
    if (storedToken) sessionStorage.setItem(OPS_TOKEN_KEY, storedToken);
    await TestBed.configureTestingModule({
      imports: [OpsPage],
      providers: [provideHttpClient(), provideHttpClientTesting()],
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

  it('should ask for the operator token first and keep it in sessionStorage', async () => {
    await create(null);
    expect(page().querySelector('label[for="ops-token"]')?.textContent).toContain('Operator token');
    http.expectNone('/api/ops/queue');

    const input = find<HTMLInputElement>('#ops-token');
    expect(input.type).toBe('password');
    input.value = TOKEN;
    find('form').dispatchEvent(new Event('submit'));
    await render();

    expect(sessionStorage.getItem(OPS_TOKEN_KEY)).toBe(TOKEN);
    expectQueueRequest().flush(view());
    await settle();
    expect(text()).toContain('2 customers waiting, the longest for 1 min 15 s. 3 reps online, 1 busy. 1 call in progress.');
  });

  it('should show the queue as an accessible table without names', async () => {
    await create(TOKEN);
    expectQueueRequest().flush(view());
    await settle();

    expect(page().querySelector('[aria-live="polite"]')?.textContent).toContain('2 customers waiting');
    const table = find('table');
    expect(table.querySelector('caption')?.textContent).toContain('Customers waiting');
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim())).toEqual(['Position', 'Waiting for', 'Connected']);
    const rows = [...table.querySelectorAll('tbody tr')].map((row) => [...row.children].map((cell) => cell.textContent?.trim()));
    expect(rows).toEqual([
      ['1', '1 min 15 s', 'Connected'],
      ['2', '4 s', 'Not connected'],
    ]);
  });

  it('should ask for names only when "show names" is on, and drop them when it is off', async () => {
    await create(TOKEN);
    expectQueueRequest().flush(view());
    await settle();

    const toggle = find<HTMLInputElement>('input[type="checkbox"]');
    toggle.checked = true;
    toggle.dispatchEvent(new Event('change'));
    await render();
    expectQueueRequest('/api/ops/queue?pii=1').flush(
      view({
        waiting: [{ helpSessionId: 'a', position: 1, waitedMs: 1_000, connected: true, customerName: 'Ada', problemText: '<b>Router</b>' }],
        queueLength: 1,
      }),
    );
    await settle();
    expect(text()).toContain('Ada');
    // Rendered as text, never as HTML.
    expect(page().querySelector('tbody b')).toBeNull();
    expect(text()).toContain('<b>Router</b>');

    toggle.checked = false;
    toggle.dispatchEvent(new Event('change'));
    await render();
    expect(text()).not.toContain('Ada');
    expectQueueRequest().flush(view());
    await settle();
  });

  it('should refresh by itself every few seconds', async () => {
    jest.useFakeTimers();
    await create(TOKEN);
    expectQueueRequest().flush(view());
    await settle();

    jest.advanceTimersByTime(REFRESH_MS);
    expectQueueRequest().flush(view({ queueLength: 0, oldestWaitMs: 0, waiting: [] }));
    await settle();
    expect(text()).toContain('0 customers waiting.');
    expect(text()).toContain('Nobody is waiting.');
  });

  it('should say the token is not right on 401, forget it and stop asking', async () => {
    jest.useFakeTimers();
    await create(TOKEN);
    expectQueueRequest().flush({ statusCode: 401, message: 'nope' }, { status: 401, statusText: 'Unauthorized' });
    await settle();

    expect(page().querySelector('[role="alert"]')?.textContent).toContain('That operator token is not right.');
    expect(sessionStorage.getItem(OPS_TOKEN_KEY)).toBeNull();
    expect(page().querySelector('#ops-token')).not.toBeNull();
    jest.advanceTimersByTime(REFRESH_MS * 3);
    http.expectNone('/api/ops/queue');
  });

  it('should say when the server cannot be reached, and keep trying', async () => {
    jest.useFakeTimers();
    await create(TOKEN);
    expectQueueRequest().error(new ProgressEvent('error'));
    await settle();
    expect(page().querySelector('[role="alert"]')?.textContent).toContain('Cannot reach the server');

    jest.advanceTimersByTime(REFRESH_MS);
    expectQueueRequest().flush(view());
    await settle();
    expect(page().querySelector('[role="alert"]')).toBeNull();
  });

  it('should forget the token on request', async () => {
    await create(TOKEN);
    expectQueueRequest().flush(view());
    await settle();
    find<HTMLButtonElement>('button.secondary').click();
    await render();
    expect(sessionStorage.getItem(OPS_TOKEN_KEY)).toBeNull();
    expect(page().querySelector('#ops-token')).not.toBeNull();
  });
});
