import type { ConfigLocation } from '../clients/types.js';

/** Managed files belong to an administrator, plugin files to the plugin (an update rewrites them). */
export function isEditableLocation(location: ConfigLocation): boolean {
  return location.scope !== 'managed' && location.variables === undefined;
}
