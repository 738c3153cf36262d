import {
  afterNextRender,
  afterRenderEffect,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  signal,
  viewChild,
} from '@angular/core';
import { RepCallSession } from '@servicekit/web/call-session';
import { ChatPanel } from '@servicekit/web/chat';
import {
  CallControlsComponent,
  LocalPreviewComponent,
  PreCallCheck,
  PreCallCheckComponent,
  RemoteVideoComponent,
} from '@servicekit/web/video-call';
import { CallbacksPanelComponent } from './callbacks-panel.component';
import { CallbacksStore } from './callbacks.store';
import { ConsoleStore } from './console.store';
import { CustomerCardComponent } from './customer-card.component';
import { RepStatusComponent } from './rep-status.component';

/** The rep's console: camera check, then Next Customer, calls, and what happened to each. */
@Component({
  selector: 'sk-console-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    CustomerCardComponent,
    CallbacksPanelComponent,
    LocalPreviewComponent,
    RemoteVideoComponent,
    CallControlsComponent,
    PreCallCheckComponent,
    ChatPanel,
    RepStatusComponent,
  ],
  providers: [ConsoleStore, CallbacksStore, RepCallSession, PreCallCheck],
  templateUrl: './console.page.html',
  styles: `
    .console {
      display: grid;
      gap: 1rem;
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
      padding: 0.75rem 1rem;
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
    }
    .bar p {
      margin: 0;
    }
    .line {
      flex: 1;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem 1rem;
    }
    .count {
      flex: 1;
      font-weight: 600;
    }
    .callbacks-toggle {
      padding: 0.35rem 0.8rem;
    }
    .badge {
      font-weight: 600;
    }
    h1 {
      margin: 0;
      font-size: 1.5rem;
      overflow-wrap: anywhere;
    }
    h1:focus {
      outline: none;
    }
    .error {
      margin: 0;
      color: var(--sk-danger);
    }
    .notice {
      padding: 0.75rem 1rem;
      border-left: 4px solid var(--sk-accent);
      background: var(--sk-surface);
      border-radius: var(--sk-radius);
    }
    .error:empty,
    .notice:empty {
      display: none;
    }
    .secondary {
      background: var(--sk-surface);
      color: var(--sk-accent);
      border: 1px solid var(--sk-accent);
    }
    .actions button {
      font-size: 1.15rem;
      padding: 0.75rem 1.75rem;
    }
    vc-pre-call-check {
      max-width: 40rem;
    }
    .preview {
      max-width: 24rem;
    }
    .small {
      max-width: 14rem;
    }
    .call {
      display: grid;
      gap: 1rem;
    }
    .videos {
      display: grid;
      grid-template-columns: 2fr 1fr;
      gap: 0.75rem;
      align-items: start;
    }
    .auto {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }
    .auto input {
      width: 1.25rem;
      height: 1.25rem;
    }
    @media (max-width: 40rem) {
      .console {
        gap: 0.75rem;
      }
      /* Name and Sign out on one row, the waiting count under them: the call keeps more of the screen. */
      .bar {
        padding: 0.5rem 0.75rem;
      }
      .line {
        order: 1;
        flex-basis: 100%;
      }
      .callbacks-toggle {
        font-size: 0.9rem;
        white-space: nowrap;
      }
      .who {
        flex: 1;
      }
      h1 {
        font-size: 1.25rem;
      }
      .intro {
        margin: 0;
      }
      /* The customer's video takes the width the screen's height allows (the controls stay in view), with
         the own camera as a small tile in its corner. */
      .videos {
        position: relative;
        grid-template-columns: 1fr;
        width: min(100%, calc((100dvh - 30rem) * 3 / 4));
        margin-inline: auto;
      }
      .videos vc-local-preview {
        position: absolute;
        top: 0.5rem;
        right: 0.5rem;
        width: 30%;
      }
      .preview,
      .small {
        max-width: none;
      }
      .actions button {
        width: 100%;
      }
    }
  `,
})
export class ConsolePage {
  protected readonly store = inject(ConsoleStore);
  protected readonly callbacks = inject(CallbacksStore);
  /** Shown or hidden by the rep; until then shown only while the rep has requests to call back. */
  private readonly callbacksChosen = signal<boolean | null>(null);
  protected readonly callbacksShown = computed(() => this.callbacksChosen() ?? this.callbacks.mine().length > 0);
  protected readonly callbacksCount = computed(() => {
    if (!this.callbacks.loaded()) return '…';
    const open = `${this.callbacks.open().length} open`;
    const mine = this.callbacks.mine().length;
    return mine > 0 ? `${open}, ${mine} yours` : open;
  });
  private readonly injector = inject(Injector);
  private readonly stepHeading = viewChild.required<ElementRef<HTMLElement>>('stepHeading');
  private readonly controls = viewChild('controls', { read: ElementRef });

  protected readonly heading = computed(() => {
    switch (this.store.step()) {
      case 'devices':
        return 'Check your camera and microphone';
      case 'ready':
        return 'Ready for the next customer';
      case 'waiting':
        return 'Waiting for the next customer…';
      case 'call':
        if (this.store.reconnecting()) return 'Reconnecting to the customer…';
        return this.store.remoteStream() ? 'In a call' : 'Connecting to the customer…';
    }
  });

  protected readonly waitingText = computed(() => {
    if (this.store.step() === 'devices') return '';
    const waiting = this.store.waiting();
    if (!this.store.connected() || waiting === null) return 'Connecting to the queue…';
    return waiting === 1 ? '1 customer waiting' : `${waiting} customers waiting`;
  });

  constructor() {
    void this.store.checkDevices();
    this.callbacks.start();
    // Each new step moves focus to its heading, for keyboard and screen-reader users.
    effect(() => {
      this.store.step();
      afterNextRender(() => this.stepHeading().nativeElement.focus(), { injector: this.injector });
    });
    // A stable hook for browser tests on the End Call button, which the shared controls render.
    afterRenderEffect(() => {
      const host = this.controls()?.nativeElement as HTMLElement | undefined;
      host?.querySelector('button.end')?.setAttribute('data-testid', 'end-call');
    });
  }

  protected toggleCallbacks(): void {
    this.callbacksChosen.set(!this.callbacksShown());
  }

  protected toggleAutoNext(event: Event): void {
    this.store.setAutoNext((event.target as HTMLInputElement).checked);
  }
}
