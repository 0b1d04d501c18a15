// The policies in force for a session: the user's (~/.config/mcp-guard/policy.yaml, or under
// $XDG_CONFIG_HOME) and the project's (--policy). decide() evaluates both and keeps the stricter
// decision (deny > approve > log > allow), so a project can tighten the user's policy, never loosen it.

import { readPolicy } from './load.js';
import type { Policy, PolicySet } from './types.js';
import { userPolicyPath } from './user-policy-path.js';
import { pathExists } from '../io/path-exists.js';

export { userPolicyPath };

export interface PolicySetOptions {
  env: Record<string, string | undefined>;
  home?: string;
  /** The project policy, e.g. from --policy. It must exist when given. */
  projectFile?: string;
  /** Skip the user policy (tests, or a caller that has its own). */
  ignoreUserPolicy?: boolean;
}

/** The user policy is optional (absent = no layer); an invalid one is an error, never skipped. */
export async function loadPolicySet(options: PolicySetOptions): Promise<PolicySet> {
  const layers: Policy[] = [];
  if (!options.ignoreUserPolicy) {
    const userFile = userPolicyPath(options.env, options.home);
    if (await pathExists(userFile)) layers.push(await readPolicy(userFile));
  }
  if (options.projectFile) layers.push(await readPolicy(options.projectFile));
  return { layers };
}

