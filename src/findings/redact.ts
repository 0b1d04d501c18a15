// Secrets from configs (env values, header values, tokens in args) must never reach the lock, logs or
// reports. Two layers: values we know are secret because of where they came from (registered by the
// code that reads configs), and token shapes we recognise anywhere.

const knownSecrets = new Set<string>();
/** Bumped whenever the registered secrets change: anything derived from them is stale. */
let secretsGeneration = 0;
/** knownSecrets longest first, rebuilt once per generation rather than on every redact(). */
let sortedSecrets: string[] = [];
let sortedGeneration = 0;

/** Values shorter than this are not registered: masking "1" or "true" everywhere would garble output. */
const MIN_SECRET_LENGTH = 4;

export function registerSecrets(values: Iterable<string | undefined>): void {
  for (const value of values) {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH && !knownSecrets.has(value)) {
      knownSecrets.add(value);
      secretsGeneration += 1;
    }
  }
}

/** The registered secrets, for handing to another thread (whose module state starts empty). */
export function registeredSecrets(): string[] {
  return [...knownSecrets];
}

/** Changes whenever the registered secrets do: a thread that was handed them knows when to be told again. */
export function registeredSecretsVersion(): number {
  return secretsGeneration;
}

/** For tests only: forget registered secrets between cases. */
export function clearRegisteredSecrets(): void {
  knownSecrets.clear();
  secretsGeneration += 1;
}

export const REDACTED = '[REDACTED]';

// Well-known credential shapes. Bounded quantifiers only: these run on untrusted text.
const TOKEN_PATTERNS: RegExp[] = [
  /\b(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{20,255}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,64}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,255}\b/g,
  /\bsk-(?:ant-|proj-|live_|test_)?[A-Za-z0-9_-]{20,255}\b/g,
  /\b(?:rk|pk)_(?:live|test)_[A-Za-z0-9]{16,255}\b/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,2048}\.eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{8,2048}\b/g,
  /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[\s\S]{0,8192}?-----END [A-Z ]{0,40}PRIVATE KEY-----/g,
];

// user:password@ in URLs, and key=value / --flag=value pairs whose key names a credential.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]{0,20}:\/\/[^\s/:@]{1,256}):[^\s/@]{1,256}@/gi;
// `scheme://TOKEN@host`: userinfo with no password is how registries and git hosts take a bare token.
const URL_USERINFO_TOKEN = /\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s/:@[\]]{1,256}@/gi;
const SECRET_ASSIGNMENT =
  /\b((?:[A-Za-z0-9_-]{0,40}(?:token|secret|password|passwd|pwd|api[_-]?key|apikey|auth|credential|private[_-]?key|access[_-]?key)[A-Za-z0-9_-]{0,40})\s{0,3}[=:]\s{0,3})("[^"]{1,512}"|'[^']{1,512}'|[^\s&"',;]{1,512})/gi;
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,4096}/g;

export function redact(text: string): string {
  let out = text;
  if (sortedGeneration !== secretsGeneration) {
    // Longest first so a secret containing another registered one is masked whole.
    sortedSecrets = [...knownSecrets].sort((a, b) => b.length - a.length);
    sortedGeneration = secretsGeneration;
  }
  for (const secret of sortedSecrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, REDACTED);
  out = out.replace(URL_PASSWORD, `$1:${REDACTED}@`);
  out = out.replace(URL_USERINFO_TOKEN, (match, scheme: string) => (match.startsWith(`${scheme}${REDACTED}`) ? match : `${scheme}${REDACTED}@`));
  out = out.replace(BEARER, `$1 ${REDACTED}`);
  out = out.replace(SECRET_ASSIGNMENT, `$1${REDACTED}`);
  return out;
}

/** Strings longer than this are not remembered by redactRepeated (it is for short, recurring fields). */
const MAX_REMEMBERED_CHARS = 512;
const MAX_REMEMBERED = 2048;
const remembered = new Map<string, string>();
let rememberedGeneration = 0;

/**
 * redact() for values that recur (a server or tool name, a policy reason, a digest): the same output,
 * remembered by input until new secrets are registered. Bounded, so unique inputs cannot grow it.
 */
export function redactRepeated(text: string): string {
  if (text.length > MAX_REMEMBERED_CHARS) return redact(text);
  if (rememberedGeneration !== secretsGeneration) {
    remembered.clear();
    rememberedGeneration = secretsGeneration;
  }
  let out = remembered.get(text);
  if (out === undefined) {
    out = redact(text);
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(text, out);
  }
  return out;
}

/** True when a command-line argument looks like it carries a credential (used for the lock's evidence). */
export function looksLikeSecretArgument(arg: string): boolean {
  return redact(arg) !== arg;
}

/** Redact a launch argument list: flag values after credential-named flags are masked too. */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let maskNext = false;
  for (const arg of args) {
    if (maskNext && !arg.startsWith('-')) {
      out.push(REDACTED);
      maskNext = false;
      continue;
    }
    maskNext = /^--?[A-Za-z0-9_-]{0,40}(?:token|secret|password|passwd|api[_-]?key|apikey|auth|credential|private[_-]?key|access[_-]?key)$/i.test(
      arg,
    );
    out.push(redact(arg));
  }
  return out;
}
