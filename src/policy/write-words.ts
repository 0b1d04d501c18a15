// The `read-only` and `approve-writes` presets decide by the tool's NAME alone: a server's own
// annotations (`readOnlyHint`) are claims by the party we are guarding against, so they never count.
// A false "write" costs a denied read the user can allow with a rule; a false "read" lets a write
// through, so every doubt resolves to "write".

/** Verbs that mean a side effect wherever they appear as a word of the name. */
export const WRITE_VERBS: readonly string[] = [
  // create / change
  'add', 'append', 'apply', 'assign', 'attach', 'bump', 'change', 'chmod', 'chown', 'create', 'edit',
  'import', 'increment', 'decrement', 'init', 'initialize', 'insert', 'link', 'make', 'mkdir', 'modify',
  'new', 'patch', 'put', 'rename', 'replace', 'save', 'store', 'touch', 'update', 'upsert', 'write',
  'overwrite', 'set', 'unset', 'configure', 'register', 'unregister', 'enable', 'disable', 'toggle',
  'mark', 'label', 'tag', 'untag', 'star', 'unstar', 'pin', 'unpin', 'fill', 'type', 'press', 'click',
  'drag', 'upload', 'download', 'copy', 'cp', 'duplicate', 'clone', 'fork', 'move', 'mv', 'sync', 'restore',
  'migrate', 'provision', 'seed', 'encrypt', 'decrypt', 'sign', 'format',
  // remove / destroy
  'archive', 'unarchive', 'clear', 'close', 'delete', 'del', 'destroy', 'detach', 'drop', 'erase', 'evict',
  'expire', 'flush', 'prune', 'purge', 'remove', 'rm', 'rmdir', 'reset', 'revert', 'rollback', 'shred',
  'terminate', 'truncate', 'unlink', 'uninstall', 'wipe', 'kill', 'stop', 'shutdown', 'reboot', 'restart',
  'cancel', 'abort', 'reject', 'dismiss', 'ban', 'block', 'unblock', 'mute', 'unmute', 'lock', 'unlock',
  'suspend', 'resume', 'pause', 'unpause', 'alter', 'resolve', 'reopen', 'approve', 'deny', 'decline',
  // run / execute
  'exec', 'execute', 'eval', 'evaluate', 'run', 'invoke', 'call', 'launch', 'spawn', 'start', 'trigger',
  'dispatch', 'schedule', 'enqueue', 'queue', 'retry', 'rerun', 'build', 'compile', 'install', 'deploy',
  'release', 'rollout', 'scale', 'navigate', 'shell', 'bash', 'sh', 'script', 'sudo', 'ssh',
  // publish / communicate / move value
  'send', 'post', 'publish', 'unpublish', 'push', 'merge', 'commit', 'rebase', 'cherry', 'submit', 'share',
  'unshare', 'invite', 'notify', 'email', 'mail', 'sms', 'message', 'reply', 'respond', 'comment', 'react',
  'forward', 'broadcast', 'tweet', 'announce', 'book', 'order', 'buy', 'sell', 'purchase', 'pay', 'charge',
  'refund', 'transfer', 'withdraw', 'deposit', 'mint', 'burn', 'stake', 'swap', 'bid', 'vote', 'subscribe',
  'unsubscribe', 'follow', 'unfollow', 'like', 'unlike', 'join', 'leave', 'kick', 'grant', 'revoke',
  'authorize', 'deauthorize', 'login', 'logout', 'impersonate', 'rotate', 'reindex', 'vacuum', 'compact',
];

/** Nouns and participles that name a side-effecting operation. */
export const WRITE_NOUNS: readonly string[] = [
  'addition', 'creation', 'deletion', 'removal', 'insertion', 'execution', 'installation', 'upload',
  'deployment', 'migration', 'mutation', 'mutate', 'transaction', 'payment', 'upsertion', 'destruction',
  'termination', 'truncation', 'modification', 'submission', 'publication', 'transfer', 'overwrite',
];

/**
 * Words that are verbs in `post_message` but nouns in `get_post`: when the name begins with a read
 * verb they are read as nouns. Any other write word still makes the name a write.
 */
export const AMBIGUOUS_WRITE_WORDS: ReadonlySet<string> = new Set([
  'post', 'update', 'commit', 'order', 'comment', 'message', 'set', 'push', 'merge', 'patch', 'run', 'reply',
  'share', 'like', 'fork', 'release', 'tag', 'label', 'copy', 'change', 'schedule', 'book', 'mail', 'email',
  'type', 'format', 'build', 'script', 'shell', 'queue', 'transfer', 'charge', 'star', 'pin', 'lock', 'call',
  'block', 'mark', 'new', 'make', 'link', 'close', 'start', 'stop', 'sign', 'vote', 'bid', 'seed',
  'transaction', 'payment', 'deployment', 'migration', 'upload', 'execution', 'store',
  'click', 'press', 'fill', 'navigate', 'evaluate', 'sync', 'clone', 'download', 'archive', 'resolve', 'react',
]);

/** A first word that makes the name a read, so ambiguous words after it are nouns. */
export const READ_VERBS: ReadonlySet<string> = new Set([
  'get', 'list', 'read', 'search', 'find', 'query', 'fetch', 'show', 'describe', 'view', 'lookup', 'look',
  'count', 'inspect', 'browse', 'retrieve', 'check', 'validate', 'verify', 'explain', 'preview', 'diff',
  'compare', 'summarize', 'analyze', 'stat', 'head', 'peek', 'watch', 'tail', 'print', 'dump', 'export',
  'which', 'whoami', 'info', 'status', 'ping', 'echo', 'estimate', 'recommend', 'suggest', 'load', 'scan',
]);

const WRITE_WORDS: ReadonlySet<string> = new Set([...WRITE_VERBS, ...WRITE_NOUNS]);

/**
 * Verbs tried as a prefix of a name written without separators (`deletefile`, `runscript`). Only
 * unambiguous verbs of four letters or more: `add`, `set` and `run` would make `address`,
 * `settings` and `runtime` writes.
 */
const PREFIX_VERBS: readonly string[] = [...WRITE_VERBS]
  .filter((verb) => verb.length >= 4 && !AMBIGUOUS_WRITE_WORDS.has(verb))
  .sort((a, b) => b.length - a.length);

/** `deleteFile`, `delete_file`, `delete-file`, `HTTPPost`, `s3.upload` → lower-case words. */
export function splitToolName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word.toLowerCase());
}

export interface WriteClassification {
  isWrite: boolean;
  /** The word (or prefix) that made it a write, for the decision's reason. */
  because?: string;
}

export function classifyToolName(name: string): WriteClassification {
  // Look-alike letters (Cyrillic `е` in `dеlete`) would slip past an ASCII word list.
  if (/[^\x20-\x7e]/.test(name)) return { isWrite: true, because: 'non-ASCII characters in the name' };
  const words = splitToolName(name);
  if (words.length === 0) return { isWrite: true, because: 'a name without words' };
  const startsWithRead = READ_VERBS.has(words[0]!);
  for (const word of words) {
    if (!WRITE_WORDS.has(word)) continue;
    if (startsWithRead && AMBIGUOUS_WRITE_WORDS.has(word)) continue;
    return { isWrite: true, because: `"${word}"` };
  }
  if (words.length === 1 && !startsWithRead) {
    const only = words[0]!;
    const verb = PREFIX_VERBS.find((candidate) => only.startsWith(candidate) && only.length > candidate.length);
    if (verb) return { isWrite: true, because: `prefix "${verb}"` };
  }
  return { isWrite: false };
}
