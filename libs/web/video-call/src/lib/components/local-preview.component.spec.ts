import { TestBed } from '@angular/core/testing';
import { fakeCameraStream } from '../../testing/media-fakes';
import { LocalPreviewComponent } from './local-preview.component';

describe('LocalPreviewComponent', () => {
  async function render(inputs: Record<string, unknown> = {}) {
    const fixture = TestBed.createComponent(LocalPreviewComponent);
    Object.entries(inputs).forEach(([name, value]) => fixture.componentRef.setInput(name, value));
    await fixture.whenStable();
    const element = fixture.nativeElement as HTMLElement;
    return { fixture, element, video: element.querySelector('video') as HTMLVideoElement };
  }

  it('should show a placeholder and hide the video while there is no stream', async () => {
    const { element, video } = await render();

    expect(element.querySelector('.placeholder')?.textContent?.trim()).toBe('Your camera is not on.');
    expect(video.hidden).toBe(true);
  });

  it('should play the stream muted, inline and mirrored, with an accessible label', async () => {
    const stream = fakeCameraStream();
    const { element, video } = await render({ stream, label: 'You' });

    expect(video.srcObject).toBe(stream);
    expect(video.muted).toBe(true);
    expect(video.hasAttribute('muted')).toBe(true);
    expect(video.hasAttribute('autoplay')).toBe(true);
    expect(video.hasAttribute('playsinline')).toBe(true);
    expect(video.getAttribute('aria-label')).toBe('You');
    expect(video.hidden).toBe(false);
    expect(element.querySelector('.placeholder')).toBeNull();
    expect(element.querySelector('figure')?.classList).toContain('mirrored');
  });

  it('should follow a new stream and stop mirroring when asked', async () => {
    const { fixture, element, video } = await render({ stream: fakeCameraStream() });
    const next = fakeCameraStream();

    fixture.componentRef.setInput('stream', next);
    fixture.componentRef.setInput('mirrored', false);
    await fixture.whenStable();

    expect(video.srcObject).toBe(next);
    expect(element.querySelector('figure')?.classList).not.toContain('mirrored');
  });
});
