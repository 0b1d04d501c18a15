import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWholeCommandLine, splitCommandLine } from '../../src/clients/command-line.js';

describe('splitCommandLine', () => {
  const cases: Array<[string, string[]]> = [
    ['npx -y @acme/pkg --flag', ['npx', '-y', '@acme/pkg', '--flag']],
    ['  node   server.js  ', ['node', 'server.js']],
    [`node "my server.js" 'a b' c\\ d`, ['node', 'my server.js', 'a b', 'c d']],
    [`echo "say \\"hi\\"" 'it''s'`, ['echo', 'say "hi"', 'its']],
    ['C:\\tools\\server.exe --dir C:\\data', ['C:\\tools\\server.exe', '--dir', 'C:\\data']],
    [`run "" ''`, ['run', '', '']],
    ['uvx $HOME ~ *.js', ['uvx', '$HOME', '~', '*.js']],
  ];
  it.each(cases)('%s', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });

  it('refuses unterminated quotes', () => {
    expect(() => splitCommandLine('node "server.js')).toThrow(/unterminated double quote/);
    expect(() => splitCommandLine("node 'server.js")).toThrow(/unterminated single quote/);
  });

  it('round-trips any words quoted the POSIX way', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 6 }), (words) => {
        const line = words.map((word) => `'${word.replace(/'/g, `'"'"'`)}'`).join(' ');
        expect(splitCommandLine(line)).toEqual(words);
      }),
    );
  });
});

describe('isWholeCommandLine', () => {
  it('only when there are no args and the command has spaces', () => {
    expect(isWholeCommandLine('npx -y pkg', undefined)).toBe(true);
    expect(isWholeCommandLine('npx -y pkg', [])).toBe(true);
    expect(isWholeCommandLine('C:\\Program Files\\node.exe', ['server.js'])).toBe(false);
    expect(isWholeCommandLine('node', undefined)).toBe(false);
    expect(isWholeCommandLine(' node ', undefined)).toBe(false);
  });
});
