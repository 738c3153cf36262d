import { TestBed } from '@angular/core/testing';
import { fakeCameraStream } from '../../testing/media-fakes';
import { RemoteVideoComponent } from './remote-video.component';

describe('RemoteVideoComponent', () => {
  async function render(inputs: Record<string, unknown> = {}) {
    const fixture = TestBed.createComponent(RemoteVideoComponent);
    Object.entries(inputs).forEach(([name, value]) => fixture.componentRef.setInput(name, value));
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    return { fixture, element, video: element.querySelector('video') as HTMLVideoElement };
  }

  it('should say it is waiting for video until the stream arrives', async () => {
    const { element, video } = await render({ name: 'Ada' });

    expect(element.querySelector('[role="status"]')?.textContent?.trim()).toBe('Waiting for video…');
    expect(video.hidden).toBe(true);
  });

  it("should play the other person's stream with sound, labelled and captioned with their name", async () => {
    const stream = fakeCameraStream();
    const { element, video } = await render({ stream, name: 'Ada' });

    expect(video.srcObject).toBe(stream);
    expect(video.muted).toBe(false);
    expect(video.hasAttribute('muted')).toBe(false);
    expect(video.getAttribute('aria-label')).toBe('Video of Ada');
    expect(element.querySelector('figcaption')?.textContent?.trim()).toBe('Ada');
    expect(element.querySelector('[role="status"]')).toBeNull();
  });

  it('should clear the video when the stream goes away', async () => {
    const { fixture, video } = await render({ stream: fakeCameraStream() });

    fixture.componentRef.setInput('stream', null);
    await fixture.whenStable();

    expect(video.srcObject).toBeNull();
    expect(video.hidden).toBe(true);
  });

  it('should still have a label and no caption without a name', async () => {
    const { element, video } = await render();

    expect(video.getAttribute('aria-label')).toBe('Video of the other person');
    expect(element.querySelector('figcaption')).toBeNull();
  });
});
