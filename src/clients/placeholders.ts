// Clients expand references in server entries before launching them; we do the same where we can
// know the value, and keep the rest as written (recorded as unresolved) instead of guessing.
// VS Code: https://code.visualstudio.com/docs/reference/variables-reference (and the MCP config
// reference: `${input:…}` prompts the user, so it can never be known here).
// Claude Code `.mcp.json`: `${VAR}` and `${VAR:-default}`; plugins add `${CLAUDE_PLUGIN_ROOT}`.
// Gemini CLI settings: `$VAR`, `${VAR}` and `${/}`. OpenCode: `{env:VAR}`.

import type { PlaceholderSyntax } from './types.js';

export interface PlaceholderContext {
  syntaxes: readonly PlaceholderSyntax[];
  env: Record<string, string | undefined>;
  userHome: string;
  pathSeparator: string;
  workspaceFolder?: string;
  /** Location-specific variables (e.g. CLAUDE_PLUGIN_ROOT); they win over the environment. */
  variables?: Record<string, string>;
}

export interface Resolved {
  value: string;
  /** Placeholders left as written, e.g. `${input:api-key}` or `${env:MISSING}`. */
  unresolved: string[];
  /** Values taken from the environment: secrets as far as we know. */
  substituted: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function resolvePlaceholders(text: string, ctx: PlaceholderContext): Resolved {
  const unresolved: string[] = [];
  const substituted: string[] = [];
  if (ctx.syntaxes.length === 0 || (!text.includes('$') && !text.includes('{'))) {
    return { value: text, unresolved, substituted };
  }
  const has = (syntax: PlaceholderSyntax): boolean => ctx.syntaxes.includes(syntax);
  const lookup = (name: string): string | undefined => ctx.variables?.[name] ?? ctx.env[name];
  const fromEnv = (value: string): string => {
    substituted.push(value);
    return value;
  };

  let value = text.replace(/\$\{([^{}]*)\}/g, (whole, inner: string) => {
    if (has('vscode')) {
      const colon = inner.indexOf(':');
      const kind = colon === -1 ? inner : inner.slice(0, colon);
      const arg = colon === -1 ? '' : inner.slice(colon + 1);
      switch (kind) {
        case 'env': {
          const found = ctx.env[arg];
          if (found !== undefined) return fromEnv(found);
          unresolved.push(whole);
          return whole;
        }
        case 'userHome':
          return ctx.userHome;
        case 'workspaceFolder':
        case 'workspaceRoot':
          if (ctx.workspaceFolder !== undefined) return ctx.workspaceFolder;
          unresolved.push(whole);
          return whole;
        case 'workspaceFolderBasename':
          if (ctx.workspaceFolder !== undefined) return basename(ctx.workspaceFolder);
          unresolved.push(whole);
          return whole;
        case 'pathSeparator':
        case '/':
          return ctx.pathSeparator;
        case 'input':
        case 'config':
        case 'command':
        case 'file':
          unresolved.push(whole);
          return whole;
        default:
          break;
      }
    }
    if (has('shell') && inner === '/') return ctx.pathSeparator;
    if (has('shell-braced') || has('shell')) {
      const dash = inner.indexOf(':-');
      const name = dash === -1 ? inner : inner.slice(0, dash);
      if (NAME.test(name)) {
        const found = lookup(name);
        if (found !== undefined) return ctx.variables?.[name] !== undefined ? found : fromEnv(found);
        if (dash !== -1) return inner.slice(dash + 2);
        unresolved.push(whole);
        return whole;
      }
    }
    if (has('vscode')) unresolved.push(whole);
    return whole;
  });

  if (has('shell')) {
    value = value.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, name: string) => {
      const found = lookup(name);
      if (found !== undefined) return fromEnv(found);
      unresolved.push(whole);
      return whole;
    });
  }

  if (has('opencode')) {
    value = value.replace(/\{env:([^{}]*)\}/g, (whole, name: string) => {
      const found = ctx.env[name];
      if (found !== undefined) return fromEnv(found);
      unresolved.push(whole);
      return whole;
    });
    value = value.replace(/\{file:[^{}]*\}/g, (whole) => {
      unresolved.push(whole);
      return whole;
    });
  }

  return { value, unresolved, substituted };
}

function basename(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}
