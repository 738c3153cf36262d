import { TestBed } from '@angular/core/testing';
import { CallControlsComponent } from './call-controls.component';

describe('CallControlsComponent', () => {
  async function render(inputs: Record<string, unknown> = {}) {
    const fixture = TestBed.createComponent(CallControlsComponent);
    Object.entries(inputs).forEach(([name, value]) => fixture.componentRef.setInput(name, value));
    await fixture.whenStable();
    const buttons = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('button'));
    return { fixture, buttons, byText: (text: string) => buttons.find((b) => b.textContent?.trim() === text) as HTMLButtonElement };
  }

  it('should render three real buttons with visible labels', async () => {
    const { buttons } = await render();

    expect(buttons.map((button) => button.textContent?.trim())).toEqual(['Mute', 'Camera off', 'End']);
    expect(buttons.every((button) => button.type === 'button')).toBe(true);
  });

  it('should report the toggles with aria-pressed', async () => {
    const { fixture, byText } = await render();
    expect(byText('Mute').getAttribute('aria-pressed')).toBe('false');
    expect(byText('Camera off').getAttribute('aria-pressed')).toBe('false');

    fixture.componentRef.setInput('muted', true);
    fixture.componentRef.setInput('cameraOff', true);
    await fixture.whenStable();

    expect(byText('Mute').getAttribute('aria-pressed')).toBe('true');
    expect(byText('Camera off').getAttribute('aria-pressed')).toBe('true');
  });

  it('should ask for the opposite of the current state on click', async () => {
    const { fixture, byText } = await render({ muted: true, cameraOff: false });
    const mute = jest.fn();
    const camera = jest.fn();
    fixture.componentInstance.muteChange.subscribe(mute);
    fixture.componentInstance.cameraChange.subscribe(camera);

    byText('Mute').click();
    byText('Camera off').click();

    expect(mute).toHaveBeenCalledWith(false);
    expect(camera).toHaveBeenCalledWith(true);
  });

  it('should emit end with the given label', async () => {
    const { fixture, byText } = await render({ endLabel: 'Finish call' });
    const end = jest.fn();
    fixture.componentInstance.end.subscribe(end);

    byText('Finish call').click();

    expect(end).toHaveBeenCalledTimes(1);
  });
});
