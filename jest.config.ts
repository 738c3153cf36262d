import type { Config } from 'jest';
import { getJestProjectsAsync } from '@nx/jest';

export default async (): Promise<Config> => ({
  projects: await getJestProjectsAsync(),
  // A global option (per-project values are ignored in a multi-project run): black-box tests start real
  // servers, memcached and Chromium.
  testTimeout: 60_000,
});
