import path from 'node:path';

// Reporters are pure and may render a report made on another machine, so the path flavour is taken from
// the paths themselves rather than from the platform we happen to run on.
function pathApiFor(p: string): typeof path.posix {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\') ? path.win32 : path.posix;
}

/** `file` relative to `cwd` with `/` separators when it lies inside `cwd`; undefined otherwise. */
export function relativeToCwd(file: string, cwd: string): string | undefined {
  const api = pathApiFor(cwd);
  const absolute = api.resolve(cwd, file);
  const relative = api.relative(cwd, absolute);
  if (relative === '' || relative.startsWith('..') || api.isAbsolute(relative)) return undefined;
  return relative.split(api.sep).join('/');
}

/** Relative when inside the working directory (short, and stable across checkouts), absolute otherwise. */
export function displayPath(file: string, cwd: string): string {
  return relativeToCwd(file, cwd) ?? file;
}

function encodeSegments(segments: string[]): string {
  return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

/** A relative URI reference (RFC 3986) for a `/`-separated relative path. */
export function relativeUri(relativePath: string): string {
  return encodeSegments(relativePath.split('/'));
}

/** An absolute `file:` URI built without consulting the current platform. */
export function fileUri(absolutePath: string): string {
  const api = pathApiFor(absolutePath);
  if (api === path.win32) {
    const forward = absolutePath.replace(/\\/g, '/');
    if (forward.startsWith('//')) {
      const [host = '', ...rest] = forward.slice(2).split('/');
      return `file://${encodeURIComponent(host)}/${encodeSegments(rest)}`;
    }
    const [drive = '', ...rest] = forward.split('/');
    return `file:///${drive}/${encodeSegments(rest)}`;
  }
  return `file://${encodeSegments(absolutePath.split('/'))}`;
}

/** The directory URI GitHub and other SARIF consumers resolve relative artifact URIs against. */
export function directoryUri(absolutePath: string): string {
  const uri = fileUri(absolutePath);
  return uri.endsWith('/') ? uri : `${uri}/`;
}
