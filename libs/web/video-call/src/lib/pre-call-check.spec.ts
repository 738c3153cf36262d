import { TestBed } from '@angular/core/testing';
import type { IceConfiguration } from '@servicekit/contracts';
import { fakeCameraStream } from '../testing/media-fakes';
import { ConnectivityCheck, type ConnectivityResult } from './connectivity-check';
import { LocalMedia } from './local-media.service';
import { MEDIA_SUPPORT } from './media-support';
import { PreCallCheck } from './pre-call-check';
import { VideoCallFailure } from './video-call-error';

const ICE: IceConfiguration = { iceServers: [{ urls: ['turn:t.example'], username: 'u', credential: 'c' }], iceTransportPolicy: 'relay' };
const PASS: ConnectivityResult = {
  outcome: 'pass',
  verdict: 'ready',
  message: 'Ready.',
  candidates: { host: 0, srflx: 0, relay: 1 },
  elapsedMs: 5,
};
const FAIL: ConnectivityResult = {
  outcome: 'fail',
  verdict: 'blocked',
  message: 'Blocked.',
  candidates: { host: 1, srflx: 0, relay: 0 },
  elapsedMs: 5,
};

describe('PreCallCheck', () => {
  let media: { acquire: jest.Mock; release: jest.Mock; devices: jest.Mock; choose: jest.Mock };
  let connectivity: { run: jest.Mock };

  beforeEach(() => {
    media = {
      acquire: jest.fn(() => Promise.resolve(fakeCameraStream())),
      release: jest.fn(),
      devices: jest.fn(() =>
        Promise.resolve({ cameras: [{ deviceId: 'c1', label: 'Cam' }], microphones: [{ deviceId: 'm1', label: 'Mic' }] }),
      ),
      choose: jest.fn(),
    };
    connectivity = { run: jest.fn(() => Promise.resolve(PASS)) };
    TestBed.configureTestingModule({
      providers: [
        PreCallCheck,
        { provide: LocalMedia, useValue: media },
        { provide: ConnectivityCheck, useValue: connectivity },
        { provide: MEDIA_SUPPORT, useValue: { ok: true } },
      ],
    });
  });

  it('should start camera and microphone, list the devices, then check the connection with the given servers', async () => {
    const check = TestBed.inject(PreCallCheck);

    const running = check.run(ICE);
    expect(check.outcome()).toBeNull();
    await expect(running).resolves.toBe('pass');

    expect(connectivity.run).toHaveBeenCalledWith(ICE);
    expect(check.stream()).not.toBeNull();
    expect(check.cameras()).toEqual([{ deviceId: 'c1', label: 'Cam' }]);
    expect(check.microphones()).toEqual([{ deviceId: 'm1', label: 'Mic' }]);
    expect([check.outcome(), check.message()]).toEqual(['pass', 'Ready.']);
  });

  it('should fail with what the connectivity check said', async () => {
    connectivity.run.mockResolvedValue(FAIL);
    const check = TestBed.inject(PreCallCheck);

    await expect(check.run(ICE)).resolves.toBe('fail');
    expect(check.message()).toBe('Blocked.');
  });

  it('should fail with the camera problem in words, and not check the connection', async () => {
    media.acquire.mockRejectedValue(VideoCallFailure.of('permission-denied'));
    const check = TestBed.inject(PreCallCheck);

    await expect(check.run(ICE)).resolves.toBe('fail');
    expect(check.message()).toMatch(/Camera and microphone access was blocked/);
    expect(connectivity.run).not.toHaveBeenCalled();

    media.acquire.mockResolvedValue(fakeCameraStream());
    connectivity.run.mockResolvedValue(PASS);
    await expect(check.run(ICE)).resolves.toBe('pass');
    expect(check.mediaError()).toBeNull();
  });

  it('should skip the connectivity check when asked (a place is already taken)', async () => {
    const check = TestBed.inject(PreCallCheck);
    await check.run(undefined, { connectivity: false });
    expect(connectivity.run).not.toHaveBeenCalled();
    expect(check.stream()).not.toBeNull();
  });

  it('should switch to the chosen device, remember it and stop the old stream', async () => {
    const check = TestBed.inject(PreCallCheck);
    await check.run(ICE);
    const first = check.stream();

    await check.choose('camera', 'c2');

    expect(media.choose).toHaveBeenCalledWith('camera', 'c2');
    expect(media.release).toHaveBeenCalledWith(first);
    expect(check.stream()).not.toBe(first);
    expect(media.acquire).toHaveBeenCalledTimes(2);
  });

  it('should not even try when the page cannot have media, and say why', async () => {
    TestBed.overrideProvider(MEDIA_SUPPORT, { useValue: { ok: false, problem: 'insecure', message: 'Use https.' } });
    const check = TestBed.inject(PreCallCheck);

    await expect(check.run(ICE)).resolves.toBe('fail');
    expect([check.outcome(), check.message()]).toEqual(['fail', 'Use https.']);
    expect(media.acquire).not.toHaveBeenCalled();
  });

  it('should stop the camera on release and when the page goes', async () => {
    const check = TestBed.inject(PreCallCheck);
    await check.run(ICE);
    const stream = check.stream();

    check.ngOnDestroy();

    expect(media.release).toHaveBeenCalledWith(stream);
    expect(check.stream()).toBeNull();
  });
});
