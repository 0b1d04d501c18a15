// Warnings `policy check` prints without failing: rules that can never decide anything, and allow
// rules whose pattern matches anywhere in the value (`work` admits `../../etc/work`).

import { isGlob } from './arguments.js';
import type { Policy, PolicyRule } from './types.js';
import type { PolicyProblem } from './check-lock.js';

export function lintPolicy(policy: Policy): PolicyProblem[] {
  const warnings: PolicyProblem[] = [];
  for (const server of policy.servers.values()) {
    if (server.preset && server.default) {
      warnings.push({
        location: server.location,
        message: `server "${server.name}": "default" is never used, the ${server.preset} preset decides every tool no rule matches`,
      });
    }
    server.rules.forEach((rule, index) => {
      const shadow = server.rules.slice(0, index).find((earlier) => earlier.match.length === 0 && covers(earlier, rule));
      if (shadow) {
        warnings.push({
          location: rule.location,
          message: `rule ${index + 1} can never apply: rule ${shadow.index + 1} (line ${shadow.location.line}) matches every call it would`,
        });
      }
      if (rule.action === 'allow' || rule.action === 'log') {
        for (const matcher of rule.match) {
          if (matcher.preset || isAnchored(matcher.pattern)) continue;
          warnings.push({
            location: matcher.location,
            message: `the pattern for "${matcher.pathText}" matches anywhere in the value; an ${rule.action} rule usually wants ^…$`,
          });
        }
      }
    });
  }
  return warnings.sort((a, b) => a.location.line - b.location.line);
}

function covers(earlier: PolicyRule, later: PolicyRule): boolean {
  if (earlier.tool === later.tool) return true;
  if (!isGlob(earlier.tool)) return false;
  // A glob covers a plain name it matches; glob-versus-glob is left alone (it needs more than a test).
  return !isGlob(later.tool) ? earlier.toolPattern.testExact(later.tool) : earlier.tool === '*';
}

function isAnchored(pattern: string): boolean {
  const body = pattern.replace(/^\(\?[a-zA-Z]+\)/, '');
  return (body.startsWith('^') || body.startsWith('\\A')) && (body.endsWith('$') || body.endsWith('\\z')) && !body.endsWith('\\$');
}
