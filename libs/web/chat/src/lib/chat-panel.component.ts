import { DatePipe } from '@angular/common';
import { afterRenderEffect, Component, computed, DestroyRef, effect, ElementRef, inject, input, signal, viewChild } from '@angular/core';
import { CHAT_MESSAGE_MAX, characterCount } from '@servicekit/contracts';
import { type ChatContext, ChatStore } from './chat.store';

/**
 * On a phone, upright or on its side (the customer's call screen goes full screen at the same sizes), the
 * chat is a button with an unread badge that opens it over the call.
 */
const PHONE_QUERY = '(max-width: 640px), (max-height: 500px)';
let nextId = 0;

/**
 * The chat of a call: the messages (as text, never HTML: links are shown, never fetched), who wrote each and
 * when, an unread count while it is collapsed or the tab is hidden, and an input of at most 1000 characters
 * with a counter (Enter sends, Shift+Enter starts a new line). Open beside the call on a wide screen; on a
 * phone, a button that opens it over the video.
 */
@Component({
  selector: 'chat-panel',
  imports: [DatePipe],
  providers: [ChatStore],
  host: { '[class.phone]': 'phone()', '[class.open]': 'open()' },
  template: `
    <button
      type="button"
      class="toggle"
      data-testid="chat-toggle"
      [attr.aria-expanded]="open()"
      [attr.aria-controls]="ids.body"
      (click)="toggle()"
    >
      @if (open()) {
        <ng-container i18n="@@chat.hide">Hide chat</ng-container>
      } @else {
        <ng-container i18n="@@chat.show">Chat</ng-container>
      }
      @if (store.unread() > 0) {
        <span class="badge" data-testid="chat-unread"
          >{{ store.unread() }}<span class="visually-hidden" i18n="@@chat.unread"> unread</span></span
        >
      }
    </button>
    <section class="body" [id]="ids.body" [hidden]="!open()" [attr.aria-labelledby]="ids.title">
      <h2 class="title" [id]="ids.title" i18n="@@chat.title">Chat with {{ partner() }}</h2>
      <div #log class="log" role="log" aria-live="polite" [attr.aria-labelledby]="ids.title" data-testid="chat-log" tabindex="0">
        @for (message of store.messages(); track message.seq) {
          <div class="message" [class.mine]="message.from === self()" data-testid="chat-message" [attr.data-seq]="message.seq">
            <div class="meta">
              <span class="who">{{ message.from === self() ? you : partner() }}</span>
              <time [attr.datetime]="message.sentAt | date: 'yyyy-MM-ddTHH:mm:ssZZZZZ'">{{ message.sentAt | date: 'shortTime' }}</time>
            </div>
            <p class="text" data-testid="chat-text">{{ message.text }}</p>
          </div>
        } @empty {
          <p class="empty" i18n="@@chat.empty">No messages yet.</p>
        }
      </div>
      <form class="compose" (submit)="submit($event)">
        <label [for]="ids.input" i18n="@@chat.messageTo">Message to {{ partner() }}</label>
        <textarea
          #input
          rows="2"
          data-testid="chat-input"
          [id]="ids.input"
          [value]="draft()"
          [attr.aria-describedby]="ids.counter + ' ' + ids.hint"
          [attr.aria-invalid]="tooLong()"
          (input)="draft.set(input.value)"
          (keydown)="keydown($event)"
        ></textarea>
        <div class="row">
          <span class="hint" [id]="ids.hint" i18n="@@chat.hint">Enter sends, Shift+Enter starts a new line.</span>
          <span class="counter" [class.over]="tooLong()" [id]="ids.counter" data-testid="chat-counter">{{ count() }} / {{ max }}</span>
          <button type="submit" data-testid="chat-send" [disabled]="store.sending() || count() === 0 || tooLong()" i18n="@@chat.send">
            Send
          </button>
        </div>
        @if (store.error(); as error) {
          <p class="error" role="alert" data-testid="chat-error">{{ error }}</p>
        }
      </form>
    </section>
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      min-width: 0;
      margin-block-end: 0.5rem;
    }
    .toggle {
      align-self: flex-start;
      display: inline-flex;
      align-items: center;
      gap: 0.5rem;
      background: var(--sk-surface, #fff);
      color: var(--sk-accent-strong, #0b4fb3);
      border: 1px solid currentColor;
    }
    .badge {
      min-width: 1.4rem;
      padding: 0 0.35rem;
      border-radius: 999px;
      background: var(--sk-danger, #b42318);
      color: #fff;
      font-weight: 700;
      font-size: 0.85rem;
      text-align: center;
    }
    .body {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      background: var(--sk-surface, #fff);
      border: 1px solid #d0d7de;
      border-radius: var(--sk-radius, 0.5rem);
      padding: 0.75rem;
    }
    .body[hidden] {
      display: none;
    }
    .title {
      font-size: 1rem;
      margin: 0;
    }
    .log {
      display: flex;
      flex-direction: column;
      gap: 0.5rem;
      min-height: 6rem;
      max-height: 18rem;
      overflow-y: auto;
      padding: 0.25rem;
    }
    .message {
      max-width: 85%;
      align-self: flex-start;
      background: #eef1f4;
      border-radius: var(--sk-radius, 0.5rem);
      padding: 0.4rem 0.6rem;
    }
    .message.mine {
      align-self: flex-end;
      background: #dbe9fd;
    }
    .meta {
      display: flex;
      gap: 0.5rem;
      font-size: 0.8rem;
      color: #4a5159;
    }
    .who {
      font-weight: 600;
    }
    .text {
      margin: 0.15rem 0 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .empty {
      margin: 0;
      color: #4a5159;
    }
    .compose {
      display: flex;
      flex-direction: column;
      gap: 0.35rem;
    }
    label {
      font-weight: 600;
      font-size: 0.9rem;
    }
    textarea {
      font: inherit;
      resize: vertical;
      padding: 0.4rem;
      border: 1px solid #6e7781;
      border-radius: var(--sk-radius, 0.5rem);
    }
    .row {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      flex-wrap: wrap;
    }
    .hint {
      flex: 1;
      font-size: 0.8rem;
      color: #4a5159;
    }
    .counter {
      font-size: 0.85rem;
      color: #4a5159;
    }
    .counter.over {
      color: var(--sk-danger, #b42318);
      font-weight: 700;
    }
    .error {
      margin: 0;
      color: var(--sk-danger, #b42318);
    }
    /* On a phone the button stays in the page (never over the call's buttons) until it opens the chat over
       the video; then it is the way back, in the overlay's corner. */
    :host(.phone.open) .toggle {
      position: fixed;
      right: 1rem;
      bottom: 1rem;
      z-index: 20;
      box-shadow: 0 2px 8px rgb(0 0 0 / 25%);
    }
    :host(.phone.open) .body {
      position: fixed;
      inset: 0 0 0 0;
      z-index: 10;
      border-radius: 0;
      padding: 1rem 1rem 4.5rem;
    }
    :host(.phone.open) .log {
      flex: 1;
      max-height: none;
    }
  `,
})
export class ChatPanel {
  /** The call's chat, or null while there is none (the panel then shows nothing new). */
  readonly chat = input.required<ChatContext | null>();

  protected readonly store = inject(ChatStore);
  protected readonly max = CHAT_MESSAGE_MAX;
  protected readonly you = $localize`:@@chat.you:You`;
  protected readonly ids = (() => {
    const n = nextId++;
    return {
      body: `chat-body-${n}`,
      title: `chat-title-${n}`,
      input: `chat-input-${n}`,
      counter: `chat-counter-${n}`,
      hint: `chat-hint-${n}`,
    };
  })();
  protected readonly draft = signal('');
  protected readonly count = computed(() => characterCount(this.draft().trim()));
  protected readonly tooLong = computed(() => this.count() > CHAT_MESSAGE_MAX);
  protected readonly self = computed(() => this.chat()?.self ?? 'customer');
  protected readonly partner = computed(
    () => this.chat()?.partnerName || (this.self() === 'customer' ? 'the representative' : 'the customer'),
  );

  private readonly media = typeof matchMedia === 'function' ? matchMedia(PHONE_QUERY) : null;
  protected readonly phone = signal(this.media?.matches ?? false);
  /** Open beside the call on a wide screen; collapsed to its button on a phone. */
  protected readonly open = signal(!this.phone());
  private readonly visible = signal(typeof document === 'undefined' || document.visibilityState !== 'hidden');
  private readonly log = viewChild<ElementRef<HTMLElement>>('log');

  constructor() {
    const onMedia = (event: MediaQueryListEvent) => this.phone.set(event.matches);
    const onVisibility = () => this.visible.set(document.visibilityState !== 'hidden');
    this.media?.addEventListener('change', onMedia);
    document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => {
      this.media?.removeEventListener('change', onMedia);
      document.removeEventListener('visibilitychange', onVisibility);
    });
    effect(() => this.store.attach(this.chat()));
    this.store.readWhile(computed(() => this.open() && this.visible()));
    // The newest message in view.
    afterRenderEffect(() => {
      this.store.messages();
      const log = this.log()?.nativeElement;
      if (log && this.open()) log.scrollTop = log.scrollHeight;
    });
  }

  protected toggle(): void {
    this.open.update((open) => !open);
  }

  protected keydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    void this.sendDraft();
  }

  protected submit(event: Event): void {
    event.preventDefault();
    void this.sendDraft();
  }

  private async sendDraft(): Promise<void> {
    if (this.store.sending() || this.count() === 0 || this.tooLong()) return;
    if (await this.store.send(this.draft())) this.draft.set('');
  }
}
