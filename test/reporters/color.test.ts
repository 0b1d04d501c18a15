import { describe, expect, it } from 'vitest';
import { shouldUseColor } from '../../src/reporters/index.js';

describe('shouldUseColor', () => {
  it.each([
    // [env, isTTY, expected]
    [{}, true, true],
    [{}, false, false],
    [{}, undefined, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: 'anything' }, true, false],
    // no-color.org: an empty NO_COLOR does not disable colour.
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '2' }, undefined, true],
    [{ FORCE_COLOR: '3' }, false, true],
    [{ FORCE_COLOR: 'true' }, false, true],
    // Presence with an empty value forces colour, as in Node and supports-color.
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: 'yes-please' }, true, false],
    // An explicit FORCE_COLOR wins over NO_COLOR, as in Node's tty.getColorDepth().
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0', NO_COLOR: '' }, true, false],
    [{ TERM: 'dumb' }, true, false],
    [{ TERM: 'dumb', FORCE_COLOR: '1' }, false, true],
    [{ TERM: 'xterm-256color' }, true, true],
  ] as const)('%o with isTTY=%s → %s', (env, isTTY, expected) => {
    expect(shouldUseColor({ ...env }, isTTY)).toBe(expected);
  });
});
