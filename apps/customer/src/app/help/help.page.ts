import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  effect,
  inject,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { CUSTOMER_NAME_MAX, characterCount, PROBLEM_TEXT_MAX } from '@servicekit/contracts';
import { CustomerCallSession } from '@servicekit/web/call-session';
import { ChatPanel } from '@servicekit/web/chat';
import { PreCallCheck, PreCallCheckComponent, watchConnectionQuality } from '@servicekit/web/video-call';
import { NgTemplateOutlet } from '@angular/common';
import { BrandStore } from '../brand/brand.store';
import { CallbackFormComponent } from '../callback/callback-form.component';
import { CallbackSentComponent } from '../callback/callback-sent.component';
import { EmbedBridge } from '../embed/embed-bridge.service';
import { EmbedEvents } from '../embed/embed-events';
import { CallAlerts } from './call-alerts';
import { CallScreenComponent } from './call-screen.component';
import { FeedbackComponent } from './feedback.component';
import { HelpStore, TITLE_TEXTS, type HelpStep } from './help.store';
import { openingTime } from '../opening-time';
import { noRepOnlineText, waitText } from '../wait-text';
import { characterHint, helpFieldErrors } from '../field-errors';

const CALL_STEPS: readonly HelpStep[] = ['reserved', 'in-call', 'reconnecting'];

@Component({
  selector: 'sk-help-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    PreCallCheckComponent,
    NgTemplateOutlet,
    CallScreenComponent,
    CallbackFormComponent,
    CallbackSentComponent,
    FeedbackComponent,
    ChatPanel,
  ],
  providers: [HelpStore, CustomerCallSession, PreCallCheck, EmbedEvents],
  templateUrl: './help.page.html',
  styleUrl: './help.page.css',
})
export class HelpPage {
  protected readonly store = inject(HelpStore);
  /** In the widget: the host site's verified context prefills the name and adds its reference. */
  protected readonly prefill = inject(EmbedBridge).prefill;
  protected readonly name = signal('');
  protected readonly problem = signal('');
  protected readonly touched = signal(false);
  protected readonly localErrors = computed(() => (this.touched() ? helpFieldErrors(this.name(), this.problem()) : {}));
  /** Local rules first (same limits as the server), then whatever the server said. */
  protected readonly errors = computed<Record<string, string | undefined>>(() => ({ ...this.store.fieldErrors(), ...this.localErrors() }));
  protected readonly nameHint = computed(() => characterHint(characterCount(this.name().trim()), CUSTOMER_NAME_MAX));
  protected readonly problemHint = computed(() => characterHint(characterCount(this.problem().trim()), PROBLEM_TEXT_MAX));
  protected readonly waitText = computed(() => waitText(this.store.estimatedWaitMs()));
  protected readonly noRepOnline = noRepOnlineText();
  protected readonly backToQueue = $localize`:@@callback.backToQueue:Back to my place in line`;
  protected readonly opensAt = computed(() => {
    const opensAt = this.store.callbackOffer()?.opensAt;
    return opensAt ? openingTime(opensAt) : null;
  });
  /** None until the call's media first flowed (connecting is not reconnecting); reconnecting whenever the session says so. */
  protected readonly callQuality = computed(() => {
    const step = this.store.step();
    if (step === 'reconnecting') return 'reconnecting';
    return step === 'in-call' ? this.quality() : null;
  });
  /** Connecting, connected or reconnecting, in words. */
  protected readonly callStatus = computed(() => {
    switch (this.store.step()) {
      case 'reserved':
        return $localize`:@@call.connecting:Connecting your call…`;
      case 'reconnecting':
        return this.store.reconnectingText();
      default:
        return $localize`:@@call.connected:You are connected.`;
    }
  });
  protected readonly alerts = inject(CallAlerts);
  protected readonly quality = watchConnectionQuality(this.store.call);
  /** When this call's media first flowed, for the timer (per match: a reconnection keeps counting). */
  protected readonly callStartedAt = signal<number | null>(null);
  private readonly brand = inject(BrandStore);
  private readonly heading = viewChild<ElementRef<HTMLElement>>('stepHeading');

  constructor() {
    inject(EmbedEvents);
    // The host site's name goes into the field unless the customer typed something else already.
    let prefilled = '';
    effect(() => {
      const name = this.prefill()?.customerName;
      if (name === undefined) return;
      untracked(() => {
        if (this.name().trim() === '' || this.name() === prefilled) this.name.set(name);
        prefilled = name;
      });
    });
    // Move focus to the heading of each new step, for keyboard and screen-reader users.
    effect(() => {
      this.store.step();
      queueMicrotask(() => {
        const heading = this.heading();
        if (heading) heading.nativeElement.focus();
        else this.focusCallHeading();
      });
    });
    // The tab title (and the optional sound) say when the rep picks up and when the call ends, for a customer in another tab.
    let previous: HelpStep = this.store.step();
    let timedMatch: string | null = null;
    effect(() => {
      const step = this.store.step();
      const repName = this.store.repName();
      const matchId = this.store.matchId();
      untracked(() => {
        const inCall = CALL_STEPS.includes(step);
        if (inCall && !CALL_STEPS.includes(previous)) this.alerts.play('picked-up');
        if (step === 'ended' && CALL_STEPS.includes(previous)) this.alerts.play('ended');
        this.brand.status.set(inCall ? TITLE_TEXTS.inCall(repName) : step === 'ended' ? TITLE_TEXTS.ended : null);
        if (step === 'in-call' && matchId !== timedMatch) {
          timedMatch = matchId;
          this.callStartedAt.set(Date.now());
        }
        if (!inCall) timedMatch = null;
        if (!inCall) this.callStartedAt.set(null);
        previous = step;
      });
    });
    inject(DestroyRef).onDestroy(() => this.brand.status.set(null));
  }

  private focusCallHeading(): void {
    document.getElementById('step-title')?.focus();
  }

  protected submit(event: Event): void {
    event.preventDefault();
    this.touched.set(true);
    if (Object.keys(this.localErrors()).length > 0) return;
    void this.store.submit(this.name().trim(), this.problem().trim(), this.prefill()?.token);
  }
}
