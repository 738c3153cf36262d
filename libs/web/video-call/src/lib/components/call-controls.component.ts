import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/** Mute, camera and end buttons. The toggles keep their label and report their state with aria-pressed. */
@Component({
  selector: 'vc-call-controls',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="controls" role="group" aria-label="Call controls" i18n-aria-label="@@vc.controls">
      <button type="button" class="toggle" [attr.aria-pressed]="muted()" (click)="muteChange.emit(!muted())" i18n="@@vc.mute">Mute</button>
      <button
        type="button"
        class="toggle"
        [attr.aria-pressed]="cameraOff()"
        (click)="cameraChange.emit(!cameraOff())"
        i18n="@@vc.cameraOff"
      >
        Camera off
      </button>
      <button type="button" class="end" (click)="end.emit()">{{ endLabel() }}</button>
    </div>
  `,
  styles: `
    .controls {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      justify-content: center;
    }
    button {
      min-width: 6rem;
      min-height: 2.75rem;
      padding: 0.5rem 1rem;
      border: 1px solid #57606a;
      border-radius: 999px;
      background: #fff;
      color: #1f2328;
      font: inherit;
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid #0969da;
      outline-offset: 2px;
    }
    .toggle[aria-pressed='true'] {
      background: #1f2328;
      color: #fff;
    }
    .end {
      border-color: #a40e26;
      background: #cf222e;
      color: #fff;
    }
    @media (max-width: 40rem) {
      button {
        flex: 1 1 0;
        min-width: 0;
        padding-inline: 0.25rem;
        line-height: 1.2;
      }
    }
  `,
})
export class CallControlsComponent {
  readonly muted = input(false);
  readonly cameraOff = input(false);
  readonly endLabel = input($localize`:@@vc.end:End`);

  /** The state asked for: true to mute. */
  readonly muteChange = output<boolean>();
  /** The state asked for: true to turn the camera off. */
  readonly cameraChange = output<boolean>();
  readonly end = output<void>();
}
