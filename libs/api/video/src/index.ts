export { VideoProvider, VideoUnavailableError, ForeignVideoSessionError } from './lib/video-provider';
export type { CallRole, CallParticipant } from './lib/video-provider';
export { PeerVideoProvider, InvalidVideoTokenError } from './lib/peer-video.provider';
export type { PeerVideoClaims, PeerVideoProviderOptions } from './lib/peer-video.provider';
export { OpenTokVideoProvider } from './lib/opentok-video.provider';
export type { OpenTokVideoProviderOptions } from './lib/opentok-video.provider';
export { IceServers, NO_ICE_SERVERS, turnRestCredentials } from './lib/ice-servers';
export type { IceServersOptions, TurnCredentialsOptions } from './lib/ice-servers';
