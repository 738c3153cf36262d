import { ChangeDetectionStrategy, Component, computed, ElementRef, effect, inject, signal, untracked, viewChild } from '@angular/core';
import { CUSTOMER_NAME_MAX, characterCount, formErrors, HELP_SESSION_FIELDS, PROBLEM_TEXT_MAX } from '@servicekit/contracts';
import { CustomerCallSession } from '@servicekit/web/call-session';
import { ChatPanel } from '@servicekit/web/chat';
import {
  CallControlsComponent,
  LocalPreviewComponent,
  PreCallCheck,
  PreCallCheckComponent,
  RemoteVideoComponent,
} from '@servicekit/web/video-call';
import { NgTemplateOutlet } from '@angular/common';
import { EmbedBridge } from '../embed/embed-bridge.service';
import { EmbedEvents } from '../embed/embed-events';
import { HelpStore } from './help.store';
import { waitText } from '../wait-text';

@Component({
  selector: 'sk-help-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LocalPreviewComponent, RemoteVideoComponent, CallControlsComponent, PreCallCheckComponent, NgTemplateOutlet, ChatPanel],
  providers: [HelpStore, CustomerCallSession, PreCallCheck, EmbedEvents],
  templateUrl: './help.page.html',
  styleUrl: './help.page.css',
})
export class HelpPage {
  protected readonly store = inject(HelpStore);
  /** In the widget: the host site's verified context prefills the name and adds its reference. */
  protected readonly prefill = inject(EmbedBridge).prefill;
  protected readonly nameMax = CUSTOMER_NAME_MAX;
  protected readonly problemMax = PROBLEM_TEXT_MAX;
  protected readonly name = signal('');
  protected readonly problem = signal('');
  protected readonly touched = signal(false);
  protected readonly localErrors = computed(() =>
    this.touched() ? formErrors({ customerName: this.name(), problemText: this.problem() }, HELP_SESSION_FIELDS) : {},
  );
  /** Local rules first (same limits as the server), then whatever the server said. */
  protected readonly errors = computed<Record<string, string | undefined>>(() => ({ ...this.store.fieldErrors(), ...this.localErrors() }));
  protected readonly nameCount = computed(() => characterCount(this.name().trim()));
  protected readonly problemCount = computed(() => characterCount(this.problem().trim()));
  protected readonly waitText = computed(() => waitText(this.store.estimatedWaitMs()));
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
      queueMicrotask(() => this.heading()?.nativeElement.focus());
    });
  }

  protected submit(event: Event): void {
    event.preventDefault();
    this.touched.set(true);
    if (Object.keys(this.localErrors()).length > 0) return;
    void this.store.submit(this.name().trim(), this.problem().trim(), this.prefill()?.token);
  }
}
