import { TestBed } from '@angular/core/testing';
import { fakeCameraStream } from '../../testing/media-fakes';
import { MicLevelComponent } from './mic-level.component';

/** WebAudio as far as the meter uses it: an analyser whose samples the test sets. */
class FakeAudioContext {
  static made: FakeAudioContext[] = [];
  state: AudioContextState = 'running';
  closed = false;
  resumed = 0;
  samples = new Float32Array(512);
  constructor() {
    FakeAudioContext.made.push(this);
  }
  createAnalyser() {
    return { fftSize: 0, getFloatTimeDomainData: (into: Float32Array) => into.set(this.samples.subarray(0, into.length)) };
  }
  createMediaStreamSource() {
    return { connect: () => undefined };
  }
  async close() {
    this.closed = true;
  }
  async resume() {
    this.resumed++;
    this.state = 'running';
  }
}

describe('MicLevelComponent', () => {
  const global = globalThis as { AudioContext?: unknown };
  beforeEach(() => {
    jest.useFakeTimers();
    FakeAudioContext.made = [];
    global.AudioContext = FakeAudioContext;
  });
  afterEach(() => {
    jest.useRealTimers();
    delete global.AudioContext;
  });

  function render(stream: MediaStream | null) {
    const fixture = TestBed.createComponent(MicLevelComponent);
    fixture.componentRef.setInput('stream', stream);
    fixture.detectChanges();
    return { fixture, meter: () => (fixture.nativeElement as HTMLElement).querySelector('[role="meter"]') };
  }

  it('should show how loud the microphone is, and nothing when it is silent', () => {
    const { fixture, meter } = render(fakeCameraStream());
    const context = FakeAudioContext.made[0]!;

    jest.advanceTimersByTime(100);
    fixture.detectChanges();
    expect(meter()?.getAttribute('aria-valuenow')).toBe('0');

    context.samples.fill(0.1);
    jest.advanceTimersByTime(100);
    fixture.detectChanges();
    expect(meter()?.getAttribute('aria-valuenow')).toBe('50');
  });

  it('should say how to start the meter while audio is suspended, and start it on a click', () => {
    const { fixture } = render(fakeCameraStream());
    const context = FakeAudioContext.made[0]!;
    context.state = 'suspended';
    jest.advanceTimersByTime(100);
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Click or press a key');

    document.dispatchEvent(new Event('pointerdown'));
    expect(context.resumed).toBe(1);
  });

  it('should close the audio context when the stream goes', () => {
    const { fixture } = render(fakeCameraStream());
    fixture.componentRef.setInput('stream', null);
    fixture.detectChanges();
    expect(FakeAudioContext.made[0]?.closed).toBe(true);
  });
});
