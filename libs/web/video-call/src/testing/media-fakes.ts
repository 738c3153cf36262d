/** jsdom has no MediaStream: small stand-ins, enough for the adapters and components. */
let nextId = 0;

export class FakeMediaStreamTrack {
  readonly id = `track-${++nextId}`;
  enabled = true;
  readyState: MediaStreamTrackState = 'live';
  /** The track this one was cloned from, if any. */
  source: FakeMediaStreamTrack | null = null;

  constructor(readonly kind: 'audio' | 'video') {}

  stop(): void {
    this.readyState = 'ended';
  }

  clone(): FakeMediaStreamTrack {
    const copy = new FakeMediaStreamTrack(this.kind);
    copy.source = this;
    return copy;
  }
}

export class FakeMediaStream {
  readonly id = `stream-${++nextId}`;
  private readonly tracks: FakeMediaStreamTrack[];

  constructor(tracks: Iterable<FakeMediaStreamTrack> = []) {
    this.tracks = [...tracks];
  }

  getTracks(): FakeMediaStreamTrack[] {
    return [...this.tracks];
  }

  getAudioTracks(): FakeMediaStreamTrack[] {
    return this.tracks.filter((track) => track.kind === 'audio');
  }

  getVideoTracks(): FakeMediaStreamTrack[] {
    return this.tracks.filter((track) => track.kind === 'video');
  }

  addTrack(track: FakeMediaStreamTrack): void {
    this.tracks.push(track);
  }
}

/** A stream with one microphone and one camera track, typed as what the code under test expects. */
export function fakeCameraStream(): MediaStream {
  return new FakeMediaStream([new FakeMediaStreamTrack('audio'), new FakeMediaStreamTrack('video')]) as unknown as MediaStream;
}

/** Makes `new MediaStream(tracks)` work in jsdom; returns a function that undoes it. */
export function installFakeMediaStream(): () => void {
  const global = globalThis as { MediaStream?: unknown };
  const previous = global.MediaStream;
  global.MediaStream = FakeMediaStream;
  return () => {
    global.MediaStream = previous;
  };
}

/** Waits for a condition, polling; fails after `timeoutMs` instead of hanging. */
export async function waitFor(condition: () => boolean, what = 'the condition', timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
