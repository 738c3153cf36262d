import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import type { ConnectivityOutcome } from '../connectivity-check';
import type { DeviceOption } from '../local-media.service';
import { LocalPreviewComponent } from './local-preview.component';
import { MicLevelComponent } from './mic-level.component';

const HEADLINES: Readonly<Record<ConnectivityOutcome, string>> = {
  pass: $localize`:@@vc.headline.pass:Ready`,
  warn: $localize`:@@vc.headline.warn:Works, with a warning`,
  fail: $localize`:@@vc.headline.fail:Not ready`,
};

/**
 * The pre-call check on screen: live preview, camera and microphone pickers, the microphone level, and the
 * outcome (Pass, Warn, Fail) with its sentence. The page runs the check (`PreCallCheck`) and wires the outputs.
 */
@Component({
  selector: 'vc-pre-call-check',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LocalPreviewComponent, MicLevelComponent],
  template: `
    <div class="check">
      <vc-local-preview
        class="preview"
        [stream]="stream()"
        label="Your camera preview"
        i18n-label="@@vc.preview"
        [placeholder]="placeholder()"
      />
      <div class="devices">
        @if (cameras().length > 1) {
          <label>
            <ng-container i18n="@@vc.camera">Camera</ng-container>
            <select data-testid="camera-select" (change)="cameraChange.emit(value($event))">
              @for (device of cameras(); track device.deviceId) {
                <option [value]="device.deviceId" [selected]="device.deviceId === camera()">{{ device.label }}</option>
              }
            </select>
          </label>
        }
        @if (microphones().length > 1) {
          <label>
            <ng-container i18n="@@vc.microphone">Microphone</ng-container>
            <select data-testid="microphone-select" (change)="microphoneChange.emit(value($event))">
              @for (device of microphones(); track device.deviceId) {
                <option [value]="device.deviceId" [selected]="device.deviceId === microphone()">{{ device.label }}</option>
              }
            </select>
          </label>
        }
        <div class="level">
          <span aria-hidden="true" i18n="@@vc.micLevel">Microphone level</span>
          <vc-mic-level [stream]="stream()" />
        </div>
      </div>
      <div class="result" role="status" aria-live="polite" data-testid="precall-result" [attr.data-outcome]="outcome() ?? 'checking'">
        @if (outcome(); as outcome) {
          <strong>{{ headline() }}.</strong> {{ message() }}
        } @else {
          <ng-container i18n="@@vc.checking">Checking your camera, microphone and connection…</ng-container>
        }
      </div>
    </div>
  `,
  styles: `
    .check {
      display: grid;
      gap: 0.5rem;
    }
    .preview {
      /* 4:3, at most a third of the screen's height. */
      width: min(100%, 22rem, 33vh);
      justify-self: center;
    }
    .devices {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
      gap: 0.5rem 1rem;
      align-items: end;
    }
    @media (max-width: 40rem) {
      /* On a phone the preview sits beside the pickers, so the outcome and the page's button stay in view. */
      .check {
        grid-template-columns: minmax(7rem, 40%) 1fr;
        align-items: start;
      }
      .preview {
        width: 100%;
      }
      .devices {
        grid-template-columns: minmax(0, 1fr);
        gap: 0.25rem;
      }
      .result {
        grid-column: 1 / -1;
      }
      label,
      .level {
        font-size: 0.9rem;
      }
    }
    label,
    .level {
      display: grid;
      gap: 0.25rem;
      font-weight: 600;
    }
    select {
      font: inherit;
      font-weight: 400;
      padding: 0.4rem;
      width: 100%;
      min-width: 0;
    }
    .result {
      margin: 0;
      padding: 0.5rem 0.75rem;
      border-left: 4px solid #57606a;
      background: #f6f8fa;
      color: #1f2328;
    }
    .result[data-outcome='pass'] {
      border-color: #1a7f37;
    }
    .result[data-outcome='warn'] {
      border-color: #9a6700;
      background: #fff8c5;
    }
    .result[data-outcome='fail'] {
      border-color: #cf222e;
      background: #ffebe9;
    }
  `,
})
export class PreCallCheckComponent {
  readonly stream = input<MediaStream | null>(null);
  readonly cameras = input<DeviceOption[]>([]);
  readonly microphones = input<DeviceOption[]>([]);
  readonly camera = input<string | null>(null);
  readonly microphone = input<string | null>(null);
  /** Null while the check runs. */
  readonly outcome = input<ConnectivityOutcome | null>(null);
  readonly message = input<string | null>(null);

  /** The device id chosen. */
  readonly cameraChange = output<string>();
  readonly microphoneChange = output<string>();

  protected readonly headline = computed(() => {
    const outcome = this.outcome();
    return outcome ? HEADLINES[outcome] : '';
  });
  protected readonly placeholder = computed(() =>
    this.outcome() === 'fail' ? $localize`:@@vc.cameraNotOn:Your camera is not on.` : $localize`:@@vc.startingCamera:Starting your camera…`,
  );

  protected value(event: Event): string {
    return (event.target as HTMLSelectElement).value;
  }
}
