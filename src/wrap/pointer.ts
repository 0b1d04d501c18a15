// Entry pointers as src/clients writes them (formatPointer): `mcpServers.notes`,
// `projects["/home/me/app"].mcpServers.notes`, `["mcp.servers"].x`, `list[0]`.

export type PointerPath = (string | number)[];

export function parsePointer(pointer: string): PointerPath {
  const path: PointerPath = [];
  let rest = pointer;
  while (rest.length > 0) {
    const name = /^\.?([A-Za-z_$][A-Za-z0-9_$-]*)/.exec(rest);
    if (name && (path.length > 0 || !rest.startsWith('.'))) {
      path.push(name[1]!);
      rest = rest.slice(name[0].length);
      continue;
    }
    const index = /^\[(0|[1-9][0-9]*)\]/.exec(rest);
    if (index) {
      path.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    if (quoted) {
      path.push(JSON.parse(quoted[1]!) as string);
      rest = rest.slice(quoted[0].length);
      continue;
    }
    throw new Error(`cannot read the entry pointer ${JSON.stringify(pointer)}`);
  }
  return path;
}
