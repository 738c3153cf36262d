import { TestBed } from '@angular/core/testing';
import { VIDEO_CALL_CONFIG, VIDEO_CALL_DEFAULT_CONFIG } from './video-call.config';

describe('VIDEO_CALL_CONFIG', () => {
  it('should default to no ICE servers, which is enough on localhost or a LAN', () => {
    expect(TestBed.inject(VIDEO_CALL_CONFIG)).toEqual(VIDEO_CALL_DEFAULT_CONFIG);
    expect(TestBed.inject(VIDEO_CALL_CONFIG).iceServers).toEqual([]);
  });

  it('should take the ICE servers an app provides', () => {
    const iceServers = [{ urls: 'stun:stun.example.org:3478' }];
    TestBed.configureTestingModule({ providers: [{ provide: VIDEO_CALL_CONFIG, useValue: { iceServers } }] });
    expect(TestBed.inject(VIDEO_CALL_CONFIG).iceServers).toBe(iceServers);
  });
});
