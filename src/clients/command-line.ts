// Cursor and others accept a whole command line in `command` ("npx -y pkg --flag") and hand it to a
// shell. We never run a shell: we split the line into words the way a POSIX shell would, so the
// launch can be analysed and started without one.
//
// Rules: whitespace separates words; '…' is literal; "…" is literal except that \" and \\ are
// escapes; outside quotes a backslash escapes only whitespace and quote characters, so Windows paths
// such as C:\tools\server.exe survive unchanged. No expansion of any kind ($VAR, ~, globs).

export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else word += ch;
      continue;
    }
    if (quote === '"') {
      const next = line[i + 1];
      if (ch === '\\' && (next === '"' || next === '\\')) {
        word += next;
        i++;
      } else if (ch === '"') {
        quote = undefined;
      } else {
        word += ch;
      }
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    inWord = true;
    if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '\\' && i + 1 < line.length && /[\s"']/.test(line[i + 1]!)) {
      word += line[i + 1];
      i++;
    } else {
      word += ch;
    }
  }
  if (quote) throw new Error(`unterminated ${quote === '"' ? 'double' : 'single'} quote`);
  if (inWord) words.push(word);
  return words;
}

/** True when `command` holds more than a program name and there are no separate args to go with it. */
export function isWholeCommandLine(command: string, args: readonly string[] | undefined): boolean {
  return (args === undefined || args.length === 0) && /\s/.test(command.trim());
}
