/**
 * Whether human output should carry ANSI colour.
 *
 * Follows Node's own `tty.getColorDepth()` precedence: an explicit FORCE_COLOR decides first ('' , 1, 2, 3
 * or `true` force colour on; 0, `false` or anything else force it off), then NO_COLOR when set to a
 * non-empty value (no-color.org), then TERM=dumb, then whether the stream is a terminal at all.
 */
export function shouldUseColor(env: Record<string, string | undefined>, isTTY: boolean | undefined): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force === '' || force === '1' || force === '2' || force === '3' || force === 'true';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}
