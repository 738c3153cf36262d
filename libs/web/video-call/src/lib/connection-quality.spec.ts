import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FakeVideoCall, fakeStatsReport } from '../testing';
import { connectionQuality, readConnectionSample, watchConnectionQuality, type ConnectionSample } from './connection-quality';
import type { VideoCall } from './video-call';

const pair = (state: string, rtt: number) => [
  { id: 'T1', type: 'transport', selectedCandidatePairId: 'P1' },
  { id: 'P1', type: 'candidate-pair', state, currentRoundTripTime: rtt },
  { id: 'P2', type: 'candidate-pair', state: 'failed', currentRoundTripTime: 9 },
];
const inbound = (received: number, lost: number) => [
  { id: 'A', type: 'inbound-rtp', kind: 'audio', packetsReceived: received / 2, packetsLost: lost / 2 },
  { id: 'V', type: 'inbound-rtp', kind: 'video', packetsReceived: received / 2, packetsLost: lost / 2 },
];
const sample = (overrides: Partial<ConnectionSample> = {}): ConnectionSample => ({
  pairState: 'succeeded',
  rttMs: 40,
  packetsReceived: 1000,
  packetsLost: 0,
  ...overrides,
});

describe('readConnectionSample', () => {
  it("should read the selected pair's state and round trip, and add up inbound packets", () => {
    expect(readConnectionSample(fakeStatsReport([...pair('succeeded', 0.12), ...inbound(900, 10)]))).toEqual({
      pairState: 'succeeded',
      rttMs: 120,
      packetsReceived: 900,
      packetsLost: 10,
    });
  });

  it('should fall back to the nominated succeeded pair when the transport names none', () => {
    const report = fakeStatsReport([{ id: 'P9', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: 0.05 }]);
    expect(readConnectionSample(report)).toMatchObject({ pairState: 'succeeded', rttMs: 50 });
  });

  it('should say no pair when nothing is selected', () => {
    expect(readConnectionSample(fakeStatsReport([]))).toEqual({ pairState: null, rttMs: null, packetsReceived: 0, packetsLost: 0 });
  });
});

describe('connectionQuality', () => {
  it('should be good with a succeeded pair, a short round trip and little loss', () => {
    expect(connectionQuality('connected', sample(), sample({ packetsReceived: 2000, packetsLost: 10 }))).toBe('good');
  });

  it('should be weak with a long round trip', () => {
    expect(connectionQuality('connected', null, sample({ rttMs: 650 }))).toBe('weak');
  });

  it('should be weak with loss over 5 % since the last reading, and good again once it stops', () => {
    const lossy = sample({ packetsReceived: 1900, packetsLost: 100 });
    expect(connectionQuality('connected', sample(), lossy)).toBe('weak');
    expect(connectionQuality('connected', lossy, sample({ packetsReceived: 2900, packetsLost: 101 }))).toBe('good');
  });

  it('should be reconnecting while the call reconnects or no pair is up', () => {
    expect(connectionQuality('reconnecting', null, sample())).toBe('reconnecting');
    expect(connectionQuality('connected', null, sample({ pairState: 'in-progress' }))).toBe('reconnecting');
    expect(connectionQuality('joining', null, null)).toBe('reconnecting');
  });

  it('should follow the state alone without statistics', () => {
    expect(connectionQuality('connected', null, null)).toBe('good');
  });
});

describe('watchConnectionQuality', () => {
  @Component({ template: '' })
  class Host {
    readonly call = signal<VideoCall | null>(null);
    readonly quality = watchConnectionQuality(this.call, 50);
  }

  afterEach(() => jest.useRealTimers());

  it("should read the call's statistics while there is a call, and stop with its component", async () => {
    jest.useFakeTimers();
    const fixture = TestBed.createComponent(Host);
    const host = fixture.componentInstance;
    TestBed.tick();
    expect(host.quality()).toBeNull();
    const call = new FakeVideoCall();
    call.state.set('connected');
    call.statsReport = fakeStatsReport([...pair('succeeded', 0.9)]);
    host.call.set(call);
    TestBed.tick();
    await jest.advanceTimersByTimeAsync(0);
    expect(host.quality()).toBe('weak');
    call.statsReport = fakeStatsReport([...pair('succeeded', 0.05), ...inbound(100, 0)]);
    await jest.advanceTimersByTimeAsync(50);
    expect(host.quality()).toBe('good');
    fixture.destroy();
    const readings = call.stats.mock.calls.length;
    await jest.advanceTimersByTimeAsync(500);
    expect(call.stats.mock.calls.length).toBe(readings);
  });

  it('should be null without a call', () => {
    const fixture = TestBed.createComponent(Host);
    const call = new FakeVideoCall();
    fixture.componentInstance.call.set(call);
    TestBed.tick();
    fixture.componentInstance.call.set(null);
    TestBed.tick();
    expect(fixture.componentInstance.quality()).toBeNull();
    fixture.destroy();
  });
});
