// A hand-written check of the policy shape, strictly narrower than POLICY_SCHEMA: whatever it
// accepts, ajv accepts too (a property test holds it to that). Loading a valid policy then never
// pays for importing and compiling ajv (~70 ms at proxy start); anything it does not accept goes
// to ajv, which decides and words the error.

const ACTIONS = new Set(['allow', 'deny', 'approve', 'log']);
const PRESETS = new Set(['read-only', 'approve-writes']);
const ARGUMENT_PRESETS = new Set(['path-traversal', 'shell-metacharacters', 'sql-ddl']);
const RATE = /^[1-9][0-9]{0,8}\/(second|minute|hour)$/;

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Plain, allowed: readonly string[]): boolean {
  return Object.keys(value).every((key) => allowed.includes(key));
}

/** JSON Schema counts code points for minLength/maxLength. */
function length(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function isMatcher(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (!isPlain(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  if (keys[0] === 'regex') return typeof value['regex'] === 'string';
  if (keys[0] === 'preset') return typeof value['preset'] === 'string' && ARGUMENT_PRESETS.has(value['preset']);
  return false;
}

function isRule(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, ['tool', 'action', 'reason', 'match', 'rate'])) return false;
  const { tool, action, reason, match, rate } = value;
  if (typeof tool !== 'string' || length(tool) < 1 || length(tool) > 512) return false;
  if (typeof action !== 'string' || !ACTIONS.has(action)) return false;
  if (reason !== undefined && (typeof reason !== 'string' || length(reason) < 1 || length(reason) > 1000)) return false;
  if (rate !== undefined && (typeof rate !== 'string' || !RATE.test(rate))) return false;
  if (match !== undefined) {
    if (!isPlain(match) || Object.keys(match).length < 1) return false;
    if (!Object.values(match).every(isMatcher)) return false;
  }
  return true;
}

function isServer(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, ['preset', 'default', 'rules'])) return false;
  const { preset, default: fallback, rules } = value;
  if (preset !== undefined && (typeof preset !== 'string' || !PRESETS.has(preset))) return false;
  if (fallback !== undefined && (typeof fallback !== 'string' || !ACTIONS.has(fallback))) return false;
  return rules === undefined || (Array.isArray(rules) && rules.every(isRule));
}

export function isValidPolicyShape(value: unknown): boolean {
  if (!isPlain(value) || !onlyKeys(value, ['$schema', 'version', 'default', 'servers'])) return false;
  const { $schema, version, default: fallback, servers } = value;
  if (version !== 1) return false;
  if ($schema !== undefined && typeof $schema !== 'string') return false;
  if (fallback !== undefined && (typeof fallback !== 'string' || !ACTIONS.has(fallback))) return false;
  return servers === undefined || (isPlain(servers) && Object.values(servers).every(isServer));
}
