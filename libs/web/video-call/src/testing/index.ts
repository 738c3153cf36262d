/** Fakes for specs of code that uses the video call: never imported by production code. */
export * from './media-fakes';
export * from './webrtc-fakes';
export * from './video-call-fakes';
