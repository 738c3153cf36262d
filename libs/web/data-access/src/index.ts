export { API_URL } from './lib/api-url.token';
export { ServiceKitApi, ApiFailure, toFailure } from './lib/service-kit-api.service';
export { PresenceConnection } from './lib/presence-connection';
export { OPEN_PRESENCE, type Presence } from './lib/presence.token';
export { RepDeskApi } from './lib/rep-desk-api.service';
