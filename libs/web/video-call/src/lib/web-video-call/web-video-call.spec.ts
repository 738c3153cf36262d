import { ComponentFixture, TestBed } from '@angular/core/testing';
import { WebVideoCall } from './web-video-call';

describe('WebVideoCall', () => {
  let component: WebVideoCall;
  let fixture: ComponentFixture<WebVideoCall>;

  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [WebVideoCall],
    }).compileComponents();

    fixture = TestBed.createComponent(WebVideoCall);
    component = fixture.componentInstance;
    await fixture.whenStable();
  });

  it('should create', () => {
    expect(component).toBeTruthy();
  });
});
