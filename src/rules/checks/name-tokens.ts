// Tool names are the most honest summary of what a tool does: `delete_file`, `sendEmail`, `kubectl-apply`.

/** Lower-case words of an identifier: snake, kebab, dotted and camelCase all split. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]{1,8}/)
    .filter((token) => token.length > 0);
}

/** Verbs that change state somewhere: a tool named with one cannot honestly claim `readOnlyHint: true`. */
export const WRITE_VERBS = new Set([
  'delete', 'remove', 'drop', 'destroy', 'purge', 'truncate', 'wipe', 'erase', 'write', 'create', 'update',
  'insert', 'upsert', 'edit', 'modify', 'put', 'post', 'send', 'publish', 'push', 'upload', 'deploy',
  'execute', 'exec', 'kill', 'terminate', 'move', 'rename', 'transfer', 'pay', 'install',
  'uninstall', 'revoke', 'grant', 'reset', 'overwrite', 'patch', 'replace', 'append', 'save', 'approve',
  'restore', 'transfer', 'refund', 'charge', 'mutate',
]);

/**
 * Tools are named verb-first (`get_commit`, `list_merge_requests`); when the first word reads, later words
 * such as "commit" or "merge" are nouns, not what the tool does.
 */
export const READ_VERBS = new Set([
  'get', 'list', 'read', 'search', 'find', 'fetch', 'query', 'describe', 'show', 'view', 'inspect', 'check',
  'count', 'explain', 'lookup', 'look', 'analyze', 'analyse', 'diff', 'compare', 'validate', 'preview', 'watch',
  'wait', 'status', 'info', 'browse', 'retrieve', 'download', 'export', 'resolve', 'verify', 'summarize', 'scan',
  'test', 'dry', 'estimate', 'calculate', 'compute', 'parse', 'render', 'format', 'convert', 'translate', 'whoami',
]);

/** Verbs that destroy data: a tool named with one cannot honestly claim `destructiveHint: false`. */
export const DESTRUCTIVE_VERBS = new Set([
  'delete', 'remove', 'drop', 'destroy', 'purge', 'truncate', 'wipe', 'erase', 'overwrite', 'kill',
  'terminate', 'revoke', 'uninstall',
]);

/** The first of `verbs` in the name, unless the name starts with a reading verb. */
export function firstVerbIn(name: string, verbs: ReadonlySet<string>): string | undefined {
  const tokens = nameTokens(name);
  if (tokens[0] !== undefined && READ_VERBS.has(tokens[0])) return undefined;
  return tokens.find((token) => verbs.has(token));
}

/** Words that name arbitrary execution: `run_shell`, `exec_command`, `bash`; never read-only. */
const EXECUTION_WORDS = new Set(['shell', 'bash', 'sh', 'zsh', 'powershell', 'cmd', 'command', 'terminal', 'script', 'eval', 'subprocess']);

export function executionWordIn(name: string): string | undefined {
  const tokens = nameTokens(name);
  if (tokens[0] !== undefined && READ_VERBS.has(tokens[0])) return undefined;
  return tokens.find((token) => EXECUTION_WORDS.has(token));
}

/**
 * The verb a description opens with ("Deletes a file…", "Permanently delete…"), when it is one of `verbs`
 * (third-person -s/-es forms included).
 */
export function leadingVerbIn(description: string, verbs: ReadonlySet<string>): string | undefined {
  const words = description.toLowerCase().match(/[a-z]{2,20}/g)?.slice(0, 3) ?? [];
  const first = words[0] === 'permanently' || words[0] === 'irreversibly' || words[0] === 'forcibly' ? words[1] : words[0];
  if (first === undefined) return undefined;
  for (const candidate of [first, first.replace(/es$/, ''), first.replace(/s$/, '')]) if (verbs.has(candidate)) return candidate;
  return undefined;
}
