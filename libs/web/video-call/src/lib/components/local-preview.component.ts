import { ChangeDetectionStrategy, Component, effect, ElementRef, input, viewChild } from '@angular/core';

/** This side's camera. Always muted: hearing yourself would echo. */
@Component({
  selector: 'vc-local-preview',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="frame" [class.mirrored]="mirrored()">
      <video #video autoplay muted playsinline [attr.aria-label]="label()" [hidden]="!stream()"></video>
      @if (!stream()) {
        <p class="placeholder">{{ placeholder() }}</p>
      }
    </figure>
  `,
  styles: `
    :host {
      display: block;
    }
    .frame {
      position: relative;
      margin: 0;
      background: #1f2328;
      border-radius: 0.5rem;
      overflow: hidden;
      aspect-ratio: 4 / 3;
    }
    video {
      display: block;
      width: 100%;
      height: 100%;
      object-fit: cover;
    }
    video[hidden] {
      display: none;
    }
    .mirrored video {
      transform: scaleX(-1);
    }
    .placeholder {
      display: grid;
      place-items: center;
      height: 100%;
      margin: 0;
      padding: 1rem;
      color: #e6e8eb;
      text-align: center;
    }
  `,
})
export class LocalPreviewComponent {
  readonly stream = input<MediaStream | null>(null);
  /** Like a mirror, which is what people expect of their own picture; the other side sees it unmirrored. */
  readonly mirrored = input(true);
  readonly label = input($localize`:@@vc.yourCamera:Your camera`);
  readonly placeholder = input($localize`:@@vc.cameraNotOn:Your camera is not on.`);

  private readonly video = viewChild<ElementRef<HTMLVideoElement>>('video');

  constructor() {
    effect(() => {
      const element = this.video()?.nativeElement;
      if (!element) return;
      // The attribute alone does not mute an element created by script: set the property too.
      element.muted = true;
      element.srcObject = this.stream();
    });
  }
}
