import type { CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { ServiceKitConfig } from '@servicekit/api/config';
import { REQUEST_ID_HEADER } from '@servicekit/api/logging';

/**
 * Cross-origin calls are refused unless CORS_ORIGINS lists the calling site. Listed sites call with bearer
 * tokens (the rep cookie is SameSite=Strict and never crosses sites), so credentials stay off.
 */
export function corsOptions(config: Pick<ServiceKitConfig, 'corsOrigins'>): CorsOptions | null {
  if (config.corsOrigins.length === 0) return null;
  return {
    origin: [...config.corsOrigins],
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', REQUEST_ID_HEADER],
    exposedHeaders: [REQUEST_ID_HEADER, 'Retry-After'],
    credentials: false,
    maxAge: 600,
  };
}
