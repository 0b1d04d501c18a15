// Writing a plan: the config atomically with a backup, and the sidecar record of what changed.
// Order matters for a crash in between: wrap records before it edits (a record for an entry that
// was never wrapped is ignored and replaced later); unwrap edits before it forgets.

import { writeConfigAtomically } from './atomic-write.js';
import { writeSidecar } from './sidecar.js';
import type { ConfigPlan } from './wrap-config.js';

/** Returns the backup path when the config file was rewritten. */
export async function applyPlan(plan: ConfigPlan, stateDir: string, kind: 'wrap' | 'unwrap'): Promise<string | undefined> {
  const changed = plan.after !== plan.before;
  if (kind === 'wrap') await writeSidecar(stateDir, plan.sidecar);
  const backup = changed ? await writeConfigAtomically(plan.file, plan.after, plan.before) : undefined;
  if (kind === 'unwrap') await writeSidecar(stateDir, plan.sidecar);
  return backup;
}
