import { TestBed } from '@angular/core/testing';
import { fakeCameraStream } from '../testing/media-fakes';
import { LocalMedia } from './local-media.service';
import { VideoCallFailure, VIDEO_CALL_ERROR_MESSAGES } from './video-call-error';

describe('LocalMedia', () => {
  const original = Object.getOwnPropertyDescriptor(navigator, 'mediaDevices');
  let getUserMedia: jest.Mock<Promise<MediaStream>, [MediaStreamConstraints]>;

  function stubMediaDevices(value: unknown): void {
    Object.defineProperty(navigator, 'mediaDevices', { value, configurable: true });
  }

  let enumerateDevices: jest.Mock<Promise<Partial<MediaDeviceInfo>[]>, []>;

  beforeEach(() => {
    localStorage.clear();
    getUserMedia = jest.fn<Promise<MediaStream>, [MediaStreamConstraints]>();
    enumerateDevices = jest.fn<Promise<Partial<MediaDeviceInfo>[]>, []>().mockResolvedValue([]);
    stubMediaDevices({ getUserMedia, enumerateDevices });
  });

  afterEach(() => {
    if (original) {
      Object.defineProperty(navigator, 'mediaDevices', original);
    } else {
      delete (navigator as { mediaDevices?: unknown }).mediaDevices;
    }
  });

  it('should ask for camera and microphone and return the stream', async () => {
    const stream = fakeCameraStream();
    getUserMedia.mockResolvedValue(stream);

    await expect(TestBed.inject(LocalMedia).acquire()).resolves.toBe(stream);
    expect(getUserMedia).toHaveBeenCalledWith({ video: true, audio: true });
  });

  it.each([
    ['NotAllowedError', 'permission-denied'],
    ['SecurityError', 'permission-denied'],
    ['NotFoundError', 'no-device'],
    ['OverconstrainedError', 'no-device'],
    ['NotReadableError', 'device-in-use'],
    ['SomethingNewError', 'device-in-use'],
  ])('should turn a %s into a %s failure with a message a person can act on', async (name, code) => {
    const cause = new DOMException('browser text', name);
    getUserMedia.mockRejectedValue(cause);

    const failure = await TestBed.inject(LocalMedia)
      .acquire()
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(VideoCallFailure);
    expect((failure as VideoCallFailure).error).toEqual({ code, message: VIDEO_CALL_ERROR_MESSAGES[code as 'no-device'] });
    expect((failure as VideoCallFailure).cause).toBe(cause);
  });

  it('should report an unsupported browser when there is no mediaDevices (plain http, old browsers)', async () => {
    stubMediaDevices(undefined);

    await expect(TestBed.inject(LocalMedia).acquire()).rejects.toMatchObject({ error: { code: 'unsupported' } });
  });

  it('should remember the chosen devices in localStorage and ask for them (ideally) next time', async () => {
    getUserMedia.mockResolvedValue(fakeCameraStream());
    const media = TestBed.inject(LocalMedia);

    media.choose('camera', 'cam-2');
    media.choose('microphone', 'mic-3');
    await media.acquire();

    expect(getUserMedia).toHaveBeenCalledWith({ video: { deviceId: { ideal: 'cam-2' } }, audio: { deviceId: { ideal: 'mic-3' } } });
    expect(JSON.parse(localStorage.getItem('sk.devices') ?? '{}')).toEqual({ camera: 'cam-2', microphone: 'mic-3' });
    expect(new LocalMedia().chosen()).toEqual({ camera: 'cam-2', microphone: 'mic-3' });
  });

  it('should ignore a corrupt remembered choice', () => {
    localStorage.setItem('sk.devices', '{not json');
    expect(new LocalMedia().chosen()).toEqual({});
    localStorage.setItem('sk.devices', JSON.stringify({ camera: 42, microphone: 'mic-1' }));
    expect(new LocalMedia().chosen()).toEqual({ microphone: 'mic-1' });
  });

  it('should list cameras and microphones, naming the ones the browser does not name yet', async () => {
    enumerateDevices.mockResolvedValue([
      { kind: 'videoinput', deviceId: 'cam-1', label: 'Front camera' },
      { kind: 'videoinput', deviceId: 'cam-2', label: '' },
      { kind: 'audioinput', deviceId: 'mic-1', label: 'Headset' },
      { kind: 'audiooutput', deviceId: 'spk-1', label: 'Speakers' },
      { kind: 'audioinput', deviceId: '', label: '' },
    ]);

    await expect(TestBed.inject(LocalMedia).devices()).resolves.toEqual({
      cameras: [
        { deviceId: 'cam-1', label: 'Front camera' },
        { deviceId: 'cam-2', label: 'Camera 2' },
      ],
      microphones: [{ deviceId: 'mic-1', label: 'Headset' }],
    });
  });

  it('should stop every track on release', () => {
    const stream = fakeCameraStream();

    TestBed.inject(LocalMedia).release(stream);

    expect(stream.getTracks().map((track) => track.readyState)).toEqual(['ended', 'ended']);
  });

  it('should explain the blocked permission in words', () => {
    expect(VIDEO_CALL_ERROR_MESSAGES['permission-denied']).toBe(
      "Camera and microphone access was blocked. Allow it in your browser's address bar, then try again.",
    );
  });
});
