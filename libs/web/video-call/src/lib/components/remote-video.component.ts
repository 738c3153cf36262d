import { ChangeDetectionStrategy, Component, computed, effect, ElementRef, input, viewChild } from '@angular/core';

/** The other person, with sound: this element plays their audio, so it is never muted. */
@Component({
  selector: 'vc-remote-video',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class.fill]': 'fill()' },
  template: `
    <figure class="frame">
      <video #video autoplay playsinline [attr.aria-label]="label()" [hidden]="!stream()"></video>
      @if (!stream()) {
        <p class="placeholder" role="status">{{ placeholder() }}</p>
      }
      @if (name()) {
        <figcaption>{{ name() }}</figcaption>
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
      aspect-ratio: 16 / 9;
    }
    video {
      display: block;
      width: 100%;
      height: 100%;
      object-fit: contain;
    }
    video[hidden] {
      display: none;
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
    figcaption {
      position: absolute;
      left: 0.5rem;
      bottom: 0.5rem;
      padding: 0.125rem 0.5rem;
      border-radius: 0.25rem;
      background: rgb(0 0 0 / 60%);
      color: #fff;
    }
    @media (max-width: 40rem) {
      .frame {
        aspect-ratio: 3 / 4;
        border-radius: 0;
      }
    }
    /* Filling its container (a full-screen call): the container decides the size; on a phone the picture is cropped to fill it. */
    :host(.fill) .frame {
      height: 100%;
      aspect-ratio: auto;
      border-radius: 0;
    }
    /* A full-screen call names the person in its own heading; the caption would sit under its controls. */
    :host(.fill) figcaption {
      display: none;
    }
    @media (max-width: 40rem), (max-height: 500px) {
      :host(.fill) video {
        object-fit: cover;
      }
    }
  `,
})
export class RemoteVideoComponent {
  readonly stream = input<MediaStream | null>(null);
  readonly name = input('');
  readonly placeholder = input($localize`:@@vc.waitingForVideo:Waiting for video…`);
  /** Fill the container (height included) instead of keeping the frame's own aspect ratio. */
  readonly fill = input(false);

  protected readonly label = computed(() => {
    const name = this.name();
    return name ? $localize`:@@vc.videoOf:Video of ${name}:name:` : $localize`:@@vc.videoOfOther:Video of the other person`;
  });
  private readonly video = viewChild<ElementRef<HTMLVideoElement>>('video');

  constructor() {
    effect(() => {
      const element = this.video()?.nativeElement;
      if (!element) return;
      element.muted = false;
      element.srcObject = this.stream();
    });
  }
}
