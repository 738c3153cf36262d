import type { WidgetEvent } from '@servicekit/contracts';
import { DEFAULT_OPTIONS, type WidgetOptions } from './options';
import { FINISH_TIMEOUT_MS, READY_TIMEOUT_MS, Widget } from './widget';

const APP = 'https://help.example.com';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiQWRhIn0.c2ln';

describe('Widget', () => {
  let widget: Widget;
  let events: WidgetEvent[];
  let warnings: string[];

  function mount(options: Partial<WidgetOptions> = {}): Widget {
    widget = new Widget(window, APP, { ...DEFAULT_OPTIONS, ...options });
    widget.mount();
    events = [];
    for (const name of ['opened', 'queued', 'call-started', 'call-ended', 'closed'] as const)
      widget.on(name, (event) => events.push(event));
    return widget;
  }

  const root = () => (document.querySelector('[data-servicekit]') as HTMLElement).shadowRoot as ShadowRoot;
  const launcher = () => root().querySelector('.launcher') as HTMLButtonElement;
  const panel = () => root().querySelector('.panel') as HTMLElement;
  const frame = () => root().querySelector('iframe');

  /**
   * jsdom gives a frame inside a shadow root no window (browsers do): lend the widget's frame the window of
   * a frame outside it, so messages can come from it.
   */
  function frameWindow(): Window {
    const stand = document.createElement('iframe');
    document.body.appendChild(stand);
    const win = stand.contentWindow as Window;
    Object.defineProperty(frame(), 'contentWindow', { get: () => win });
    return win;
  }

  /** A message as the browser delivers it: from a window, with that window's origin. */
  function deliver(
    data: unknown,
    { origin = APP, source = frame()?.contentWindow ?? null }: { origin?: string; source?: Window | null } = {},
  ) {
    window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
  }
  const fromApp = (type: string, extra: Record<string, unknown> = {}) => deliver({ source: 'servicekit', type, ...extra });

  beforeEach(() => {
    document.body.innerHTML = '<main><h1>A shop</h1></main>';
    warnings = [];
    jest.spyOn(console, 'warn').mockImplementation((message: string) => warnings.push(message));
  });

  afterEach(() => {
    widget?.close();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('should title the panel with the brand’s name, as the dialog’s accessible name', () => {
    mount({ title: 'Acme Help' });
    launcher().click();
    const dialog = root().querySelector('[role="dialog"]') as HTMLElement;
    expect(root().getElementById(dialog.getAttribute('aria-labelledby') ?? '')?.textContent).toBe('Acme Help');
    expect(launcher().textContent).toBe(DEFAULT_OPTIONS.label);
  });

  it('should add one element to the page, render inside its shadow root, and frame nothing before it is used', () => {
    mount({ label: 'Ask us <b>now</b>' });
    expect(document.body.children).toHaveLength(2);
    expect(document.body.innerHTML).not.toContain('Ask us');
    expect(launcher().textContent).toBe('Ask us <b>now</b>');
    expect(launcher().getAttribute('aria-expanded')).toBe('false');
    expect(panel().hidden).toBe(true);
    expect(frame()).toBeNull();
  });

  it('should frame the embed page on first use, with the host origin, the locale and the media permissions', () => {
    mount({ locale: 'de' });
    launcher().click();
    const src = new URL(frame()?.src ?? '');
    expect(src.origin + src.pathname).toBe(`${APP}/embed`);
    expect(src.searchParams.get('host')).toBe(window.location.origin);
    expect(src.searchParams.get('lang')).toBe('de');
    expect(frame()?.getAttribute('allow')).toBe('camera; microphone; autoplay; display-capture');
    expect(frame()?.title).toBe(DEFAULT_OPTIONS.label);
    expect(root().querySelector('#sk-title')?.textContent).toBe('Service Kit');
    expect(launcher().getAttribute('aria-expanded')).toBe('true');
    expect(panel().hidden).toBe(false);
    expect(events).toEqual([{ name: 'opened' }]);
  });

  it('should minimise with the button, the launcher or Escape and keep the request, then come back to the same frame', () => {
    mount();
    launcher().click();
    const first = frame();
    (root().querySelector('.min') as HTMLButtonElement).click();
    expect([panel().hidden, launcher().getAttribute('aria-expanded'), root().activeElement]).toEqual([true, 'false', launcher()]);
    launcher().click();
    panel().dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(panel().hidden).toBe(true);
    launcher().click();
    launcher().click();
    expect(panel().hidden).toBe(true);
    widget.open();
    expect(frame()).toBe(first);
    expect(events).toEqual([{ name: 'opened' }, { name: 'opened' }, { name: 'opened' }, { name: 'opened' }]);
  });

  it('should send the context token only to the app origin, and only once the frame said it is ready', () => {
    mount({ context: TOKEN });
    widget.open();
    const post = jest.spyOn(frameWindow(), 'postMessage').mockImplementation(() => undefined);
    expect(post).not.toHaveBeenCalled();
    fromApp('ready');
    expect(post).toHaveBeenCalledWith({ source: 'servicekit', type: 'context', token: TOKEN }, APP);
    widget.open('eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiR3JhY2UifQ.c2ln');
    expect(post).toHaveBeenLastCalledWith(
      { source: 'servicekit', type: 'context', token: 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiR3JhY2UifQ.c2ln' },
      APP,
    );
  });

  it('should ignore messages from any other origin or window, and malformed ones', () => {
    mount({ context: TOKEN });
    widget.open();
    const post = jest.spyOn(frameWindow(), 'postMessage').mockImplementation(() => undefined);
    fromApp('ready');
    post.mockClear();
    deliver({ source: 'servicekit', type: 'ready' }, { origin: 'https://evil.example' });
    deliver({ source: 'servicekit', type: 'call-started' }, { origin: 'https://evil.example' });
    deliver({ source: 'servicekit', type: 'call-started' }, { source: window });
    deliver({ source: 'servicekit', type: 'call-started' }, { source: null });
    deliver({ source: 'servicekit', type: 'queued', position: -1 });
    deliver('call-started');
    expect(events).toEqual([{ name: 'opened' }]);
    expect(post).not.toHaveBeenCalled();
  });

  it('should pass the app events on in order, and say closed once the app ended the request', () => {
    mount();
    widget.open();
    const appWindow = frameWindow();
    const post = jest.spyOn(appWindow, 'postMessage').mockImplementation(() => undefined);
    fromApp('ready');
    fromApp('queued', { position: 2, customerName: 'Ada' });
    expect(launcher().textContent).toContain('number 2 in line');
    fromApp('queued', { position: 2_345 });
    expect(launcher().textContent).toContain('about number 2300 in line');
    fromApp('queued', { position: 1 });
    fromApp('call-started');
    expect(launcher().textContent).toContain('in a call');
    const closingFrame = frame();
    (root().querySelector('.close') as HTMLButtonElement).click();
    expect(post).toHaveBeenCalledWith({ source: 'servicekit', type: 'end' }, APP);
    expect(panel().hidden).toBe(true);
    deliver({ source: 'servicekit', type: 'call-ended', reason: 'customer-ended' }, { source: appWindow });
    expect(closingFrame?.isConnected).toBe(true);
    deliver({ source: 'servicekit', type: 'finished' }, { source: appWindow });
    expect(closingFrame?.isConnected).toBe(false);
    expect(events).toEqual([
      { name: 'opened' },
      { name: 'queued', position: 2 },
      { name: 'queued', position: 2_345 },
      { name: 'queued', position: 1 },
      { name: 'call-started' },
      { name: 'call-ended', reason: 'customer-ended' },
      { name: 'closed' },
    ]);
    expect(root().activeElement).toBe(launcher());
  });

  it('should remove the frame anyway when the app does not answer the close in time', () => {
    jest.useFakeTimers();
    mount();
    widget.open();
    jest.spyOn(frameWindow(), 'postMessage').mockImplementation(() => undefined);
    fromApp('ready');
    const closingFrame = frame();
    widget.close();
    jest.advanceTimersByTime(FINISH_TIMEOUT_MS);
    expect(closingFrame?.isConnected).toBe(false);
    expect(events.map((e) => e.name)).toEqual(['opened', 'closed']);
  });

  it('should close at once a frame that never said it is ready, and frame a new one on the next open', () => {
    mount();
    widget.open();
    const first = frame();
    widget.close();
    expect(first?.isConnected).toBe(false);
    widget.open();
    expect(frame()).not.toBe(first);
    expect(events.map((e) => e.name)).toEqual(['opened', 'closed', 'opened']);
  });

  it('should offer the app in a new tab, and say why on the console, when the frame never says it is ready', () => {
    jest.useFakeTimers();
    mount();
    widget.open();
    jest.advanceTimersByTime(READY_TIMEOUT_MS);
    expect(frame()).toBeNull();
    const link = root().querySelector('.fallback a') as HTMLAnchorElement;
    expect([link.href, link.target, link.rel]).toEqual([`${APP}/`, '_blank', 'noopener']);
    expect(warnings.join('\n')).toContain('EMBED_ORIGINS');
  });

  it('should keep calling the other handlers when one throws, and stop calling an unsubscribed one', () => {
    mount();
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const seen: string[] = [];
    widget.on('opened', () => {
      throw new Error('host bug');
    });
    const off = widget.on('opened', () => seen.push('second'));
    widget.open();
    widget.minimise();
    off();
    widget.open();
    expect(seen).toEqual(['second']);
    expect(error).toHaveBeenCalled();
    expect(events.map((e) => e.name)).toEqual(['opened', 'opened']);
    widget.on('nope' as 'opened', () => undefined);
    expect(warnings.join('\n')).toContain('ServiceKit.on needs one of opened, queued, call-started, call-ended, closed');
  });

  it('should colour the button with readable text on light and dark brand colours, and sit on the left when asked', () => {
    mount({ color: '#ffd33d', position: 'bottom-left' });
    const wrap = root().querySelector('.wrap') as HTMLElement;
    expect(wrap.style.getPropertyValue('--sk-c')).toBe('#ffd33d');
    expect(wrap.style.getPropertyValue('--sk-fg')).toBe('#000000');
    expect(wrap.classList.contains('left')).toBe(true);
  });
});
