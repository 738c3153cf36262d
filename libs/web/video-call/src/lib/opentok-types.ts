/**
 * The few parts of the `@opentok/client` API this lib uses, typed here so that nothing imports the SDK
 * statically (it is 3 MB and must stay out of the initial bundle).
 */
export interface OTErrorLike {
  name?: string;
  code?: number;
  message?: string;
}

export type OTCallback = (error?: OTErrorLike) => void;

export interface OTStreamLike {
  streamId: string;
}

/** OpenTok's own video element (with insertDefaultUI: false); its srcObject is the MediaStream. */
export interface OTMediaElementLike {
  srcObject?: MediaProvider | null;
  muted?: boolean;
}

export interface OTMediaEvents {
  videoElementCreated: { element: OTMediaElementLike };
  mediaStreamAvailable: { mediaStream: MediaStream };
}

export interface OTEmitter<Events> {
  on<K extends keyof Events & string>(type: K, handler: (event: Events[K]) => void): unknown;
}

export interface OTPublisherProperties {
  insertDefaultUI: false;
  publishAudio: boolean;
  publishVideo: boolean;
  audioSource?: MediaStreamTrack | boolean;
  videoSource?: MediaStreamTrack | boolean;
  name?: string;
}

export interface OTPublisherLike extends OTEmitter<OTMediaEvents> {
  publishAudio(value: boolean): unknown;
  publishVideo(value: boolean): unknown;
  destroy(): unknown;
}

export type OTSubscriberLike = OTEmitter<OTMediaEvents>;

export interface OTSessionEvents {
  streamCreated: { stream: OTStreamLike };
  streamDestroyed: { stream: OTStreamLike; reason?: string };
  sessionDisconnected: { reason?: string };
  sessionReconnecting: object;
  sessionReconnected: object;
}

export interface OTSessionLike extends OTEmitter<OTSessionEvents> {
  connect(token: string, callback: OTCallback): unknown;
  publish(publisher: OTPublisherLike, callback: OTCallback): unknown;
  subscribe(stream: OTStreamLike, targetElement: undefined, properties: { insertDefaultUI: false }, callback: OTCallback): OTSubscriberLike;
  disconnect(): unknown;
}

/** The `OT` object of `@opentok/client`. */
export interface OTLike {
  initSession(apiKey: string, sessionId: string): OTSessionLike;
  initPublisher(targetElement: undefined, properties: OTPublisherProperties, callback: OTCallback): OTPublisherLike;
  /** 1 when this browser can publish and subscribe. */
  checkSystemRequirements?(): number;
}
