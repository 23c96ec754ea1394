import type { RouteScenario } from './types.js';

/** The operator's System page (issue 11): versions and health of every component, asked for real. */
export const scenarios: RouteScenario[] = [
  { method: 'GET', route: '/api/v1/admin/system', prepare: async () => ({ path: '/api/v1/admin/system' }) },
];
