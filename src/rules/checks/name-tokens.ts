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
  'execute', 'exec', 'kill', 'terminate', 'move', 'rename', 'transfer', 'pay', 'merge', 'commit', 'install',
  'uninstall', 'revoke', 'grant', 'reset', 'overwrite', 'patch', 'replace', 'append', 'save', 'approve',
  'archive', 'restore', 'email', 'transfer', 'refund', 'charge', 'mutate', 'set',
]);

/** Verbs that destroy data: a tool named with one cannot honestly claim `destructiveHint: false`. */
export const DESTRUCTIVE_VERBS = new Set([
  'delete', 'remove', 'drop', 'destroy', 'purge', 'truncate', 'wipe', 'erase', 'overwrite', 'kill',
  'terminate', 'revoke', 'uninstall',
]);

export function firstVerbIn(name: string, verbs: ReadonlySet<string>): string | undefined {
  return nameTokens(name).find((token) => verbs.has(token));
}
