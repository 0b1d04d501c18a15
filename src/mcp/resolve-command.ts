// We spawn servers without a shell (a config value must never be shell-interpreted), so the PATH lookup
// a shell would do is ours to do — including PATHEXT on Windows, where `npx` is really `npx.cmd`.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

export interface CommandResolution {
  /** Absolute path of the executable that will run. */
  file: string;
  /** Windows batch files (`.cmd`, `.bat`) cannot be spawned directly and need `cmd.exe /c`. */
  isWindowsBatch: boolean;
}

export interface ResolveContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  platform: NodeJS.Platform;
}

/** Returns undefined when no executable by that name exists; never throws for a missing command. */
export function resolveCommand(command: string, context: ResolveContext): CommandResolution | undefined {
  const pathApi = context.platform === 'win32' ? path.win32 : path.posix;
  const extensions = executableExtensions(command, context);
  const hasSeparator = command.includes('/') || (context.platform === 'win32' && command.includes('\\'));

  const directories = hasSeparator || pathApi.isAbsolute(command)
    ? [undefined]
    : pathList(context).filter((dir) => dir.length > 0);

  for (const dir of directories) {
    const base = dir === undefined ? pathApi.resolve(context.cwd, command) : pathApi.resolve(context.cwd, dir, command);
    for (const extension of extensions) {
      const candidate = base + extension;
      if (isExecutableFile(candidate, context.platform)) {
        return { file: candidate, isWindowsBatch: context.platform === 'win32' && /\.(?:cmd|bat)$/i.test(candidate) };
      }
    }
  }
  return undefined;
}

function pathList(context: ResolveContext): string[] {
  // Windows environments spell it `Path`; look the key up case-insensitively there.
  const value =
    context.platform === 'win32'
      ? Object.entries(context.env).find(([key]) => key.toUpperCase() === 'PATH')?.[1]
      : context.env.PATH;
  return (value ?? '').split(context.platform === 'win32' ? ';' : ':');
}

function executableExtensions(command: string, context: ResolveContext): string[] {
  if (context.platform !== 'win32') return [''];
  const pathext = Object.entries(context.env).find(([key]) => key.toUpperCase() === 'PATHEXT')?.[1];
  const extensions = (pathext ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((ext) => ext.length > 0);
  // A command already carrying a known extension is tried as written first.
  const hasKnownExtension = extensions.some((ext) => command.toLowerCase().endsWith(ext.toLowerCase()));
  return hasKnownExtension ? ['', ...extensions] : extensions;
}

function isExecutableFile(candidate: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(candidate).isFile()) return false;
    // Windows has no execute bit; existence with a PATHEXT extension is what the shell checks.
    if (platform !== 'win32') accessSync(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Quote one argument for `cmd.exe /d /s /c "…"` with verbatim arguments, the way cross-spawn does:
 * first for the C runtime's argv parser, then caret-escape cmd.exe metacharacters.
 */
export function quoteForCmd(arg: string, isBatchTarget: boolean): string {
  let quoted = arg.replace(/(\\*)"/g, '$1$1\\"');
  quoted = quoted.replace(/(\\*)$/, '$1$1');
  quoted = `"${quoted}"`;
  quoted = escapeCmdMetaCharacters(quoted);
  // Batch files expand arguments once more, so they need a second round of carets.
  if (isBatchTarget) quoted = escapeCmdMetaCharacters(quoted);
  return quoted;
}

/** The command itself is only caret-escaped (cross-spawn's `escapeCommand`). */
export function escapeCmdMetaCharacters(text: string): string {
  return text.replace(/[()[\]%!^"`<>&|;, *?]/g, '^$&');
}
