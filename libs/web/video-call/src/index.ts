export * from './lib/web-video-call/web-video-call';
