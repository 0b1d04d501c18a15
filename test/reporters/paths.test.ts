import { describe, expect, it } from 'vitest';
import { directoryUri, displayPath, fileUri, relativeToCwd, relativeUri } from '../../src/reporters/paths.js';

describe('report paths', () => {
  it('makes paths inside the working directory relative with forward slashes', () => {
    expect(relativeToCwd('/home/dev/project/.cursor/mcp.json', '/home/dev/project')).toBe('.cursor/mcp.json');
    expect(relativeToCwd('.mcp.json', '/home/dev/project')).toBe('.mcp.json');
    expect(relativeToCwd('C:\\work\\repo\\.vscode\\mcp.json', 'C:\\work\\repo')).toBe('.vscode/mcp.json');
  });

  it('leaves paths outside the working directory absolute', () => {
    expect(relativeToCwd('/home/dev/.claude.json', '/home/dev/project')).toBeUndefined();
    expect(relativeToCwd('/home/dev/project-other/x.json', '/home/dev/project')).toBeUndefined();
    expect(relativeToCwd('/home/dev/project', '/home/dev/project')).toBeUndefined();
    expect(displayPath('/home/dev/.claude.json', '/home/dev/project')).toBe('/home/dev/.claude.json');
    expect(relativeToCwd('D:\\other\\mcp.json', 'C:\\work\\repo')).toBeUndefined();
  });

  it('builds URIs that survive spaces, percent signs and non-ASCII names', () => {
    expect(relativeUri('my configs/100% mcp.json')).toBe('my%20configs/100%25%20mcp.json');
    expect(fileUri('/home/dev/My Project/ü.json')).toBe('file:///home/dev/My%20Project/%C3%BC.json');
    expect(fileUri('C:\\Users\\dev\\.cursor\\mcp.json')).toBe('file:///C:/Users/dev/.cursor/mcp.json');
    expect(fileUri('\\\\server\\share\\mcp.json')).toBe('file://server/share/mcp.json');
    expect(directoryUri('/home/dev/project')).toBe('file:///home/dev/project/');
    expect(new URL(fileUri('/home/dev/My Project/ü.json')).pathname).toBe('/home/dev/My%20Project/%C3%BC.json');
  });
});
