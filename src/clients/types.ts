import type { ClientId, ConfigScope, Transport } from '../model.js';

/**
 * Everything discovery may look at, injected so tests run against fixture trees and never read the
 * real home directory. `platform` picks the client's layout (where it keeps files); paths are still
 * joined with the host's path module, so a Windows layout can live under a POSIX fixture directory.
 */
export interface DiscoveryEnv {
  platform: NodeJS.Platform;
  /** HOME / USERPROFILE. */
  home: string;
  /** Project scope root. */
  cwd: string;
  /** APPDATA, XDG_CONFIG_HOME, CLAUDE_CONFIG_DIR, CODEX_HOME, … and values for `${env:X}`. */
  env: Record<string, string | undefined>;
  /** Prefix for absolute system paths (managed files under /etc, /Library, C:\Program Files). */
  systemRoot?: string;
}

/** How a client writes references that it expands itself before launching a server. */
export type PlaceholderSyntax =
  /** VS Code / Cursor / Windsurf: `${env:X}`, `${input:x}`, `${workspaceFolder}`, `${userHome}`, … */
  | 'vscode'
  /** Claude Code, Copilot CLI: `${X}` and `${X:-default}`. */
  | 'shell-braced'
  /** Gemini CLI: `${X}`, bare `$X` and `${/}`. */
  | 'shell'
  /** OpenCode: `{env:X}`. */
  | 'opencode';

/** One file a client may read. */
export interface ConfigLocation {
  path: string;
  scope: Exclude<ConfigScope, 'explicit'>;
  /** The folder `${workspaceFolder}` stands for when this file is read. */
  workspaceFolder?: string;
  /** Variables only this location defines, e.g. `CLAUDE_PLUGIN_ROOT` for a plugin's `.mcp.json`. */
  variables?: Record<string, string>;
  /** The client will not start servers from this file (e.g. it belongs to a disabled plugin). */
  disabled?: boolean;
}

/**
 * A server as written in one file, already in ServerEntry's shape but with placeholders not yet
 * expanded (expansion needs the environment, parsing does not).
 */
export interface ParsedServer {
  name: string;
  /** JSON path (or TOML table) of the entry, e.g. `mcpServers.notes`. */
  pointer: string;
  transport: Transport;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  disabled?: boolean;
  /** For `~/.claude.json` project entries: the project the entry belongs to. */
  workspaceFolder?: string;
}

export interface ClientDefinition {
  id: ClientId;
  displayName: string;
  placeholders: readonly PlaceholderSyntax[];
  /** Every file this client may read for the given environment, existing or not. */
  locations(env: DiscoveryEnv): ConfigLocation[] | Promise<ConfigLocation[]>;
  /** Parse one file's text. Throws GuardError config-parse / config-invalid with a position. */
  parse(text: string, path: string): ParsedServer[];
}
