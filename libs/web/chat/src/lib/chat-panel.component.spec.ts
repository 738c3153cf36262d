import { TestBed } from '@angular/core/testing';
import type { ChatMessage } from '@servicekit/contracts';
import { ApiFailure, ServiceKitApi } from '@servicekit/web/data-access';
import { FakePresence, until } from '@servicekit/web/data-access/testing';
import { ChatPanel } from './chat-panel.component';
import type { ChatContext } from './chat.store';

const ID = 'hs_1';
const at = (minute: number) => Date.UTC(2026, 11, 2, 9, minute);
const message = (seq: number, from: ChatMessage['from'], text: string): ChatMessage => ({
  helpSessionId: ID,
  seq,
  from,
  text,
  sentAt: at(seq),
});

/** The server side of the chat, in memory: what the panel reads and sends goes through ServiceKitApi. */
class FakeChatApi {
  stored: ChatMessage[] = [];
  readonly historyCalls: number[] = [];
  failNextSend: ApiFailure | null = null;

  readonly chatHistory = jest.fn(async (_id: string, after: number, _token: string | null) => {
    this.historyCalls.push(after);
    return this.stored.filter((m) => m.seq > after);
  });

  readonly sendChatMessage = jest.fn(async (_id: string, text: string, _token: string | null) => {
    if (this.failNextSend) {
      const failure = this.failNextSend;
      this.failNextSend = null;
      throw failure;
    }
    const sent = message(this.stored.length + 1, 'customer', text);
    this.stored.push(sent);
    return sent;
  });
}

describe('ChatPanel', () => {
  let api: FakeChatApi;
  let presence: FakePresence;

  beforeEach(() => {
    api = new FakeChatApi();
    presence = new FakePresence();
    TestBed.configureTestingModule({ providers: [{ provide: ServiceKitApi, useValue: api }] });
  });

  async function render(context: Partial<ChatContext> = {}) {
    const fixture = TestBed.createComponent(ChatPanel);
    const chat: ChatContext = { helpSessionId: ID, token: 'customer-token', presence, self: 'customer', partnerName: 'Grace', ...context };
    fixture.componentRef.setInput('chat', chat);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    const query = <E extends Element>(testId: string) => root.querySelector<E>(`[data-testid="${testId}"]`);
    const texts = () => Array.from(root.querySelectorAll('[data-testid="chat-text"]')).map((el) => el.textContent);
    const settle = async () => {
      TestBed.tick();
      await fixture.whenStable();
    };
    const type = async (value: string) => {
      const input = query<HTMLTextAreaElement>('chat-input');
      if (!input) throw new Error('no chat input');
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await settle();
      return input;
    };
    const press = async (key: string, shiftKey = false) => {
      const event = new KeyboardEvent('keydown', { key, shiftKey, cancelable: true });
      query('chat-input')?.dispatchEvent(event);
      await settle();
      return event;
    };
    return { fixture, root, query, texts, type, press, settle };
  }

  it('should load the history once connected and show every message as text, never as HTML', async () => {
    const html = '<b>bold</b><img src=x onerror=alert(1)> https://example.com/x';
    api.stored = [message(1, 'rep', 'I will be with you in a minute.'), message(2, 'customer', html)];
    const { root, texts, settle } = await render();
    expect(api.chatHistory).not.toHaveBeenCalled();

    presence.connected.set(true);
    await until(() => texts().length === 2, 'the history');
    await settle();

    expect(texts()).toEqual(['I will be with you in a minute.', html]);
    expect(root.querySelector('[data-testid="chat-log"] b, [data-testid="chat-log"] img, [data-testid="chat-log"] a')).toBeNull();
    const whos = Array.from(root.querySelectorAll('.who')).map((el) => el.textContent);
    expect(whos).toEqual(['Grace', 'You']);
    expect(root.querySelector('time')?.getAttribute('datetime')).toMatch(/^2026-12-02T/);
    expect(api.chatHistory).toHaveBeenCalledWith(ID, 0, 'customer-token');
  });

  it('should append pushed messages once, in sequence order, and load only what is new after a reconnect', async () => {
    api.stored = [message(1, 'rep', 'one')];
    const { texts, settle } = await render();
    presence.connected.set(true);
    await until(() => texts().length === 1, 'the history');

    presence.chatIncoming.next(message(3, 'rep', 'three'));
    presence.chatIncoming.next(message(2, 'customer', 'two'));
    presence.chatIncoming.next(message(2, 'customer', 'two'));
    presence.chatIncoming.next({ ...message(9, 'rep', 'another session'), helpSessionId: 'hs_other' });
    await settle();
    expect(texts()).toEqual(['one', 'two', 'three']);

    // Offline while the rep wrote two more: the reconnection fetches those only.
    presence.connected.set(false);
    await settle();
    api.stored.push(message(2, 'customer', 'two'), message(3, 'rep', 'three'), message(4, 'rep', 'four'), message(5, 'rep', 'five'));
    presence.connected.set(true);
    await until(() => texts().length === 5, 'the messages sent while away');
    expect(api.historyCalls).toEqual([0, 3]);
    expect(texts()).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('should send on Enter, start a new line on Shift+Enter, and clear the draft once sent', async () => {
    const { type, press, texts, query } = await render();
    presence.connected.set(true);
    await type('Hello\nthere');

    const shifted = await press('Enter', true);
    expect(shifted.defaultPrevented).toBe(false);
    expect(api.sendChatMessage).not.toHaveBeenCalled();

    const enter = await press('Enter');
    expect(enter.defaultPrevented).toBe(true);
    await until(() => texts().length === 1, 'the sent message');
    expect(api.sendChatMessage).toHaveBeenCalledWith(ID, 'Hello\nthere', 'customer-token');
    expect(query<HTMLTextAreaElement>('chat-input')?.value).toBe('');
    expect(query('chat-counter')?.textContent?.trim()).toBe('0 / 1000');
  });

  it('should count characters as the server does and refuse more than 1000', async () => {
    const { type, query, press } = await render();
    await type(`  ${'😀'.repeat(1000)}  `);
    expect(query('chat-counter')?.textContent?.trim()).toBe('1000 / 1000');
    expect(query<HTMLButtonElement>('chat-send')?.disabled).toBe(false);

    await type('😀'.repeat(1001));
    expect(query('chat-counter')?.textContent?.trim()).toBe('1001 / 1000');
    expect(query<HTMLButtonElement>('chat-send')?.disabled).toBe(true);
    expect(query('chat-input')?.getAttribute('aria-invalid')).toBe('true');
    await press('Enter');
    expect(api.sendChatMessage).not.toHaveBeenCalled();
  });

  it("should show the server's sentence when a message is refused, and keep the draft", async () => {
    const { type, press, query, settle } = await render();
    api.failNextSend = new ApiFailure(429, 'You are sending messages too quickly. Please wait a moment and send it again.', 'rate_limited');
    await type('Hello?');
    await press('Enter');
    await until(() => query('chat-error') !== null, 'the error');
    await settle();
    expect(query('chat-error')?.textContent?.trim()).toBe('You are sending messages too quickly. Please wait a moment and send it again.');
    expect(query('chat-error')?.getAttribute('role')).toBe('alert');
    expect(query<HTMLTextAreaElement>('chat-input')?.value).toBe('Hello?');
  });

  it('should count unread messages from the other side while collapsed or while the tab is hidden', async () => {
    const { query, settle } = await render();
    presence.connected.set(true);
    await settle();
    presence.chatIncoming.next(message(1, 'rep', 'seen at once'));
    await settle();
    expect(query('chat-unread')).toBeNull();

    query<HTMLButtonElement>('chat-toggle')?.click();
    await settle();
    expect(query('chat-toggle')?.getAttribute('aria-expanded')).toBe('false');
    presence.chatIncoming.next(message(2, 'rep', 'while collapsed'));
    presence.chatIncoming.next(message(3, 'customer', 'my own, from another tab'));
    presence.chatIncoming.next(message(4, 'rep', 'again'));
    await settle();
    expect(query('chat-unread')?.textContent?.trim()).toBe('2 unread');

    query<HTMLButtonElement>('chat-toggle')?.click();
    await settle();
    expect(query('chat-unread')).toBeNull();

    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    presence.chatIncoming.next(message(5, 'rep', 'while hidden'));
    await settle();
    expect(query('chat-unread')?.textContent?.trim()).toBe('1 unread');
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(query('chat-unread')).toBeNull();
  });

  it('should be a polite live log with a labelled input', async () => {
    const { root, query } = await render({ self: 'rep', partnerName: 'Ada' });
    const log = query('chat-log');
    expect(log?.getAttribute('role')).toBe('log');
    expect(log?.getAttribute('aria-live')).toBe('polite');
    const input = query<HTMLTextAreaElement>('chat-input');
    const label = root.querySelector(`label[for="${input?.id}"]`);
    expect(label?.textContent?.trim()).toBe('Message to Ada');
    expect(
      input
        ?.getAttribute('aria-describedby')
        ?.split(' ')
        .every((id) => root.querySelector(`#${id}`) !== null),
    ).toBe(true);
  });
});
