// Whether a remote server's URL carries a credential, and which parts of it are the secret. Wrap
// uses the first to keep such a URL out of the proxy's argv (`ps`, shell history); the proxy uses
// the second to register what it reads from --url-env so no log line can print it. "Secret" here
// is at least what the lock hides when it records a URL (redactUrl), so argv never shows anything
// the committed lock would not.

import { REDACTED, looksLikeSecretArgument } from '../findings/redact.js';
import { redactUrl } from '../lock/identity.js';

/** Query parameter names whose values are credentials in practice (`?api_key=`, `?token=`, signed URLs). */
const CREDENTIAL_PARAMETER = /token|secret|password|passwd|pwd|api[_-]?key|apikey|auth|credential|private[_-]?key|access[_-]?key|session|^(?:key|sig|signature|code)$/i;

/** Client placeholders (`${input:x}`, `${env:X}`, `${X}`, `$X`, `{env:X}`): what they expand to is unknown here. */
const PLACEHOLDER = /\$\{|\{env:|\{file:|\$[A-Za-z_]/;

export function hasPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text);
}

/**
 * True when the URL must not appear on a command line: a credential-named query parameter, a token
 * shape anywhere (a key in the path, as some hosted servers issue them), a path segment or value the
 * lock would redact, or a placeholder, which may well expand to a credential.
 */
export function urlCarriesCredential(url: string): boolean {
  return hasPlaceholder(url) || credentialQuery(url).length > 0 || looksLikeSecretArgument(url) || lockHides(url);
}

/** The raw `name=value` pairs of the query whose name says credential. */
function credentialQuery(url: string): { name: string; value: string }[] {
  const query = /\?([^#]*)/.exec(url)?.[1] ?? '';
  const out: { name: string; value: string }[] = [];
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (CREDENTIAL_PARAMETER.test(decodeSafely(name))) out.push({ name, value: eq === -1 ? '' : pair.slice(eq + 1) });
  }
  return out;
}

function lockHides(url: string): boolean {
  return redactUrl(url).includes(REDACTED);
}

/**
 * The secret parts of a URL, raw and percent-decoded, for registerSecrets: userinfo, the values of
 * credential-named query parameters, and any path segment or query value the lock would redact.
 */
export function urlCredentialParts(raw: string): string[] {
  const parts: string[] = [];
  const add = (value: string): void => {
    if (value === '') return;
    parts.push(value, decodeSafely(value));
  };
  for (const { value } of credentialQuery(raw)) add(value);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return parts;
  }
  add(url.username);
  add(url.password);
  for (const segment of url.pathname.split('/')) {
    if (segment !== '' && (looksLikeSecretArgument(decodeSafely(segment)) || lockHides(`https://h/${segment}`))) add(segment);
  }
  for (const pair of url.search.slice(1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1) continue;
    const value = pair.slice(eq + 1);
    if (looksLikeSecretArgument(decodeSafely(value)) || lockHides(`https://h/?${pair}`)) add(value);
  }
  return parts;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
