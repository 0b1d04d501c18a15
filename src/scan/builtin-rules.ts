import type { RuleMeta } from '../findings/finding.js';

// Rules the scan pipeline itself emits (drift and connection problems are findings too, so every
// reporter, SARIF included, carries them). Detection and supply-chain rules live in src/rules and src/supply.

export const LOCK_DRIFT: RuleMeta = {
  id: 'lock-drift',
  category: 'drift',
  title: 'Definition drifted from mcp.lock',
  severity: 'high',
  confidence: 'high',
  description:
    'A tool, prompt, resource or the server instructions differ from what was reviewed and pinned in mcp.lock. ' +
    'A silent redefinition is how a "rug pull" reaches the model.',
  tip: 'Review the change with `mcp-guard diff --server NAME`; accept it with `mcp-guard lock --server NAME`.',
};

export const SERVER_UNREACHABLE: RuleMeta = {
  id: 'server-unreachable',
  category: 'connection',
  title: 'Server could not be listed',
  severity: 'high',
  confidence: 'high',
  description:
    'mcp-guard could not start, connect to or list this server, so nothing it exposes was checked. ' +
    'A server that was not read is not clean.',
  tip: 'Run the server by hand to see why it fails; servers that need OAuth or IDE-provided secrets must be given them.',
};

export const UNUSED_IGNORE: RuleMeta = {
  id: 'ignore-unused',
  category: 'config',
  title: 'Ignore entry matched nothing or has expired',
  severity: 'low',
  confidence: 'high',
  description: 'An entry in the ignore file no longer suppresses anything, or its expiry date has passed.',
  tip: 'Remove the entry, or renew its expiry after re-reviewing the finding it hides.',
};

export const PIPELINE_RULES: RuleMeta[] = [LOCK_DRIFT, SERVER_UNREACHABLE, UNUSED_IGNORE];
