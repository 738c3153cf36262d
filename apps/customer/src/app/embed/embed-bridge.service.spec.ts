import { TestBed } from '@angular/core/testing';
import type { CheckContextResponse, EmbedSettingsResponse } from '@servicekit/contracts';
import { ServiceKitApi } from '@servicekit/web/data-access';
import { until } from '@servicekit/web/data-access/testing';
import { EMBED_WINDOW, EmbedBridge } from './embed-bridge.service';

const SHOP = 'https://shop.example';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiQWRhIn0.c2ln';

/** The embed page's window inside a host page: its parent records what it is sent. */
class FramedWindow {
  readonly parent = { postMessage: jest.fn() };
  readonly location: { href: string };
  private readonly listeners: ((event: MessageEvent) => void)[] = [];

  constructor(href: string) {
    this.location = { href };
  }

  addEventListener(type: string, listener: (event: MessageEvent) => void): void {
    if (type === 'message') this.listeners.push(listener);
  }

  deliver(data: unknown, { origin = SHOP, source = this.parent as unknown }: { origin?: string; source?: unknown } = {}): void {
    for (const listener of this.listeners) listener({ data, origin, source } as MessageEvent);
  }
}

describe('EmbedBridge', () => {
  let win: FramedWindow;
  let warnings: string[];
  const api = {
    embedSettings: jest.fn<Promise<EmbedSettingsResponse>, []>(),
    checkContext: jest.fn<Promise<CheckContextResponse>, [string]>(),
  };

  function start(href = `https://help.example.com/embed?host=${encodeURIComponent(SHOP)}&lang=de`): EmbedBridge {
    win = new FramedWindow(href);
    TestBed.configureTestingModule({
      providers: [
        { provide: EMBED_WINDOW, useValue: win },
        { provide: ServiceKitApi, useValue: api },
      ],
    });
    return TestBed.inject(EmbedBridge);
  }

  beforeEach(() => {
    warnings = [];
    jest.spyOn(console, 'warn').mockImplementation((message: string) => warnings.push(message));
    api.embedSettings.mockReset().mockResolvedValue({ origins: [SHOP, 'https://other.example'], acceptsContext: true });
    api.checkContext.mockReset();
  });

  afterEach(() => jest.restoreAllMocks());

  it('should say ready to the host page, by its exact origin, once the server lists it', async () => {
    const bridge = start();
    expect(bridge.embedded).toBe(true);
    expect(bridge.locale).toBe('de');
    await until(() => bridge.connected(), 'the bridge to connect');
    expect(win.parent.postMessage).toHaveBeenCalledWith({ source: 'servicekit', type: 'ready' }, SHOP);
  });

  it('should not talk to a host page the server does not list, whatever the URL claims', async () => {
    const bridge = start(`https://help.example.com/embed?host=${encodeURIComponent('https://evil.example')}`);
    await until(() => warnings.length > 0, 'the warning');
    expect(warnings[0]).toContain('https://evil.example is not in EMBED_ORIGINS');
    bridge.post({ source: 'servicekit', type: 'call-started' });
    win.deliver({ source: 'servicekit', type: 'context', token: TOKEN }, { origin: 'https://evil.example' });
    expect([bridge.connected(), win.parent.postMessage.mock.calls, api.checkContext.mock.calls]).toEqual([false, [], []]);
  });

  it('should prefill only from a context the server verified, heard from the parent at the host origin only', async () => {
    const bridge = start();
    await until(() => bridge.connected(), 'the bridge to connect');
    win.deliver({ source: 'servicekit', type: 'context', token: TOKEN }, { origin: 'https://other.example' });
    win.deliver({ source: 'servicekit', type: 'context', token: TOKEN }, { source: {} });
    win.deliver({ source: 'servicekit', type: 'context', token: 42 });
    expect(api.checkContext).not.toHaveBeenCalled();

    api.checkContext.mockResolvedValueOnce({ valid: false, message: 'The context token has expired.' });
    win.deliver({ source: 'servicekit', type: 'context', token: 'forged.token.x' });
    await until(() => warnings.length > 0, 'the warning');
    expect(warnings).toEqual(['Service Kit: the context token was ignored. The context token has expired.']);
    expect(bridge.prefill()).toBeNull();

    api.checkContext.mockResolvedValueOnce({ valid: true, customerName: 'Ada Lovelace', reference: 'Order 4711' });
    win.deliver({ source: 'servicekit', type: 'context', token: TOKEN });
    await until(() => bridge.prefill() !== null, 'the prefill');
    expect(bridge.prefill()).toEqual({ customerName: 'Ada Lovelace', reference: 'Order 4711', token: TOKEN });
    expect(api.checkContext).toHaveBeenCalledTimes(2);
  });

  it('should end the request when the widget closes, then say finished, even if ending failed', async () => {
    const bridge = start();
    await until(() => bridge.connected(), 'the bridge to connect');
    const order: string[] = [];
    bridge.onEnd(async () => {
      order.push('ended');
      throw new Error('offline');
    });
    win.parent.postMessage.mockImplementation((message: { type: string }) => order.push(message.type));
    win.deliver({ source: 'servicekit', type: 'end' });
    await until(() => order.includes('finished'), 'the finished message');
    expect(order).toEqual(['ended', 'finished']);
  });

  it('should stay out of the way on the embed page opened on its own, and on every other page', () => {
    const top = new FramedWindow('https://help.example.com/embed');
    (top as unknown as { parent: unknown }).parent = top;
    TestBed.configureTestingModule({
      providers: [
        { provide: EMBED_WINDOW, useValue: top },
        { provide: ServiceKitApi, useValue: api },
      ],
    });
    expect(TestBed.inject(EmbedBridge).embedded).toBe(true);
    expect(api.embedSettings).not.toHaveBeenCalled();
    TestBed.resetTestingModule();
    expect(start('https://help.example.com/help').embedded).toBe(false);
    expect(api.embedSettings).not.toHaveBeenCalled();
  });
});
