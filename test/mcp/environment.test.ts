import { describe, expect, it } from 'vitest';
import { mergeEnvironment } from '../../src/mcp/child-process.js';

describe('mergeEnvironment', () => {
  it('adds the entry variables on top of the full inherited environment', () => {
    const merged = mergeEnvironment({ HOME: '/home/a', PATH: '/bin', API_KEY: 'old' }, { API_KEY: 'new', EXTRA: '1' }, 'linux');
    expect(merged).toEqual({ HOME: '/home/a', PATH: '/bin', API_KEY: 'new', EXTRA: '1' });
  });

  it('keeps differently cased names apart on POSIX', () => {
    expect(mergeEnvironment({ Path: 'a' }, { PATH: 'b' }, 'linux')).toEqual({ Path: 'a', PATH: 'b' });
  });

  it('replaces a differently cased inherited name on Windows', () => {
    expect(mergeEnvironment({ Path: 'C:\\Windows', ComSpec: 'cmd' }, { PATH: 'D:\\tools' }, 'win32')).toEqual({
      ComSpec: 'cmd',
      PATH: 'D:\\tools',
    });
  });
});
