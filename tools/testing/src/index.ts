export { startMemcached, MEMCACHED_NOT_INSTALLED } from './memcached-server';
export type { MemcachedServer, MemcachedServerOptions } from './memcached-server';
export { freePort, canConnect, startUnresponsiveServer } from './net';
export type { UnresponsiveServer } from './net';
export { waitFor } from './wait-for';
export type { WaitForOptions } from './wait-for';
export { startOpenTokStandIn, type OpenTokStandIn } from './opentok-stand-in';
export { startTcpProxy } from './tcp-proxy';
export type { TcpProxy, TcpProxyMode, TcpProxyOptions } from './tcp-proxy';
