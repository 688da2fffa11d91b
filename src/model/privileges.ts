/** What an API key may do; a route names the one it needs. */
export const PRIVILEGES = [
  'admin', 'message', 'logs:read', 'logs:annotate', 'user_data:read', 'user_data:delete', 'workspaces:read', 'workspaces:write',
  // Coveo UA: Analytics data (write events), Impersonate (name the user of an event), Administrate, Data exports.
  'analytics:write', 'analytics:impersonate', 'analytics:administrate', 'analytics:exports',
] as const;
export type Privilege = (typeof PRIVILEGES)[number];
