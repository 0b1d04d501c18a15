// Where the user policy lives. Its own module so the proxy can see that there is no policy to load
// without importing the loader (YAML parser, RE2), which would sit on its start-up path.

import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export function userPolicyPath(env: Record<string, string | undefined>, home: string = homedir()): string {
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env['XDG_CONFIG_HOME'];
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.config');
  return join(base, 'mcp-guard', 'policy.yaml');
}
