import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { CallControlsComponent, type ConnectionQuality, LocalPreviewComponent, RemoteVideoComponent } from '@servicekit/web/video-call';

/** How far one arrow key moves the own camera tile, in CSS pixels. */
const KEY_STEP = 24;

/**
 * The call as people know it from their phones: the rep's video fills the screen, the own camera is a small
 * tile in a corner that can be dragged (or moved with the arrow keys), and Mute / Camera off / End sit over
 * the video, always in view. On a wide screen the same stage leaves room at its side for a panel: whatever
 * the page projects into it (the text chat).
 */
@Component({
  selector: 'sk-call-screen',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RemoteVideoComponent, LocalPreviewComponent, CallControlsComponent],
  templateUrl: './call-screen.component.html',
  styleUrl: './call-screen.component.css',
})
export class CallScreenComponent {
  readonly repName = input('');
  /** Connecting, connected or reconnecting, in words. */
  readonly status = input('');
  readonly remoteStream = input<MediaStream | null>(null);
  readonly localStream = input<MediaStream | null>(null);
  readonly muted = input(false);
  readonly cameraOff = input(false);
  readonly quality = input<ConnectionQuality | null>(null);
  /** When the media first flowed (epoch ms), for the timer; null before. */
  readonly startedAt = input<number | null>(null);
  readonly error = input<string | null>(null);

  readonly muteChange = output<boolean>();
  readonly cameraChange = output<boolean>();
  readonly end = output<void>();

  private readonly area = viewChild.required<ElementRef<HTMLElement>>('area');
  private readonly tile = viewChild.required<ElementRef<HTMLElement>>('tile');
  /** The tile's offset from its home corner (top right), kept inside the stage. */
  protected readonly offset = signal({ x: 0, y: 0 });
  private drag: { pointerId: number; startX: number; startY: number; from: { x: number; y: number } } | null = null;

  private readonly now = signal(Date.now());
  /** mm:ss (h:mm:ss after an hour) since the call's media first flowed. */
  protected readonly elapsed = computed(() => {
    const startedAt = this.startedAt();
    if (startedAt === null) return null;
    const seconds = Math.max(0, Math.floor((this.now() - startedAt) / 1000));
    const two = (n: number) => String(n).padStart(2, '0');
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    return h > 0 ? `${h}:${two(m)}:${two(seconds % 60)}` : `${two(m)}:${two(seconds % 60)}`;
  });

  constructor() {
    const timer = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected startDrag(event: PointerEvent): void {
    if (event.button !== 0) return;
    this.drag = { pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, from: this.offset() };
    this.tile().nativeElement.setPointerCapture?.(event.pointerId);
    event.preventDefault();
  }

  protected moveDrag(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    this.moveTo(drag.from.x + event.clientX - drag.startX, drag.from.y + event.clientY - drag.startY);
  }

  protected endDrag(event: PointerEvent): void {
    if (this.drag?.pointerId === event.pointerId) this.drag = null;
  }

  protected moveByKey(event: KeyboardEvent): void {
    const step: Record<string, [number, number]> = {
      ArrowLeft: [-KEY_STEP, 0],
      ArrowRight: [KEY_STEP, 0],
      ArrowUp: [0, -KEY_STEP],
      ArrowDown: [0, KEY_STEP],
    };
    const move = step[event.key];
    if (!move) return;
    event.preventDefault();
    const { x, y } = this.offset();
    this.moveTo(x + move[0], y + move[1]);
  }

  /** Keeps the tile inside its area (the stage between the top bar and the controls): from its home in the top right it can go left and down only. */
  private moveTo(x: number, y: number): void {
    const area = this.area().nativeElement.getBoundingClientRect();
    const tile = this.tile().nativeElement.getBoundingClientRect();
    const minX = -Math.max(0, area.width - tile.width);
    const maxY = Math.max(0, area.height - tile.height);
    this.offset.set({ x: Math.round(Math.min(0, Math.max(minX, x))), y: Math.round(Math.min(maxY, Math.max(0, y))) });
  }
}
