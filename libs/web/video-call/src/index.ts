export * from './lib/video-call.config';
