import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal } from '@angular/core';

/** How often the level is read: often enough to follow speech, cheap enough for a phone. */
const SAMPLE_MS = 100;

/**
 * How loud the microphone is, live (WebAudio AnalyserNode). Browsers keep audio suspended until the person
 * has interacted with the page; the meter says so and starts on the first click or key.
 */
@Component({
  selector: 'vc-mic-level',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '(document:pointerdown)': 'resume()', '(document:keydown)': 'resume()' },
  template: `
    <div class="meter" role="meter" aria-label="Microphone level" aria-valuemin="0" aria-valuemax="100" [attr.aria-valuenow]="percent()">
      <span class="bar" [style.width.%]="percent()"></span>
    </div>
    @if (suspended()) {
      <small class="hint">Click or press a key to see your microphone level.</small>
    }
  `,
  styles: `
    :host {
      display: grid;
      gap: 0.25rem;
    }
    .meter {
      height: 0.5rem;
      border-radius: 999px;
      background: #d0d7de;
      overflow: hidden;
    }
    .bar {
      display: block;
      height: 100%;
      background: #1a7f37;
      transition: width 80ms linear;
    }
    .hint {
      color: #57606a;
    }
  `,
})
export class MicLevelComponent {
  readonly stream = input<MediaStream | null>(null);

  private readonly level = signal(0);
  protected readonly percent = computed(() => Math.round(this.level() * 100));
  protected readonly suspended = signal(false);
  private context: AudioContext | null = null;

  constructor() {
    effect((onCleanup) => {
      const stream = this.stream();
      if (!stream || stream.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') {
        this.level.set(0);
        return;
      }
      const context = new AudioContext();
      this.context = context;
      const analyser = context.createAnalyser();
      analyser.fftSize = 512;
      context.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      const timer = setInterval(() => {
        this.suspended.set(context.state === 'suspended');
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += sample * sample;
        // Speech sits around an RMS of 0.02-0.2: scale so that talking fills most of the bar.
        this.level.set(Math.min(1, Math.sqrt(sum / samples.length) * 5));
      }, SAMPLE_MS);
      onCleanup(() => {
        clearInterval(timer);
        this.context = null;
        void context.close().catch(() => undefined);
      });
    });
    inject(DestroyRef).onDestroy(() => this.level.set(0));
  }

  protected resume(): void {
    if (this.context?.state === 'suspended') void this.context.resume().catch(() => undefined);
  }
}
