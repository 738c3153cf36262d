import { TestBed } from '@angular/core/testing';
import { fakeCameraStream } from '../../testing/media-fakes';
import { PreCallCheckComponent } from './pre-call-check.component';

describe('PreCallCheckComponent', () => {
  async function render(inputs: Record<string, unknown> = {}) {
    const fixture = TestBed.createComponent(PreCallCheckComponent);
    Object.entries(inputs).forEach(([name, value]) => fixture.componentRef.setInput(name, value));
    await fixture.whenStable();
    return { fixture, element: fixture.nativeElement as HTMLElement };
  }

  it('should say it is checking while there is no outcome', async () => {
    const { element } = await render();
    const result = element.querySelector('[data-testid="precall-result"]');
    expect(result?.getAttribute('data-outcome')).toBe('checking');
    expect(result?.textContent).toContain('Checking your camera, microphone and connection');
    expect(element.querySelector('[role="meter"]')?.getAttribute('aria-label')).toBe('Microphone level');
  });

  it.each([
    ['pass', 'Ready.'],
    ['warn', 'Works, with a warning.'],
    ['fail', 'Not ready.'],
  ])('should show the %s outcome with its sentence', async (outcome, headline) => {
    const { element } = await render({ outcome, message: 'What to do.' });
    const result = element.querySelector('[data-testid="precall-result"]');
    expect(result?.getAttribute('data-outcome')).toBe(outcome);
    expect(result?.textContent?.replace(/\s+/g, ' ').trim()).toBe(`${headline} What to do.`);
  });

  it('should offer a picker only when there is a choice, and report the chosen device', async () => {
    const cameras = [
      { deviceId: 'c1', label: 'Front' },
      { deviceId: 'c2', label: 'Back' },
    ];
    const { fixture, element } = await render({
      stream: fakeCameraStream(),
      cameras,
      camera: 'c2',
      microphones: [{ deviceId: 'm1', label: 'Mic' }],
    });
    const chosen: string[] = [];
    fixture.componentInstance.cameraChange.subscribe((id) => chosen.push(id));

    const select = element.querySelector('[data-testid="camera-select"]') as HTMLSelectElement;
    expect([...select.options].map((option) => [option.textContent?.trim(), option.selected])).toEqual([
      ['Front', false],
      ['Back', true],
    ]);
    expect(element.querySelector('[data-testid="microphone-select"]')).toBeNull();

    select.value = 'c1';
    select.dispatchEvent(new Event('change'));
    expect(chosen).toEqual(['c1']);
  });
});
