import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStaticListing, snapshotsFromListing } from '../../src/scan/static-listing.js';

const fixture = (name: string) => new URL(`../../fixtures/static/${name}`, import.meta.url).pathname;

describe('static listings', () => {
  it('reads a tools/list result, naming the server after the file and keeping unknown keys', async () => {
    const [snapshot, ...rest] = await readStaticListing(fixture('listing.json'));
    expect(rest).toHaveLength(0);
    expect(snapshot!.server).toBe('listing');
    expect(snapshot!.tools[0]).toHaveProperty('x-vendor-extension', { kept: true });
  });

  it('reads a bare array of tools', () => {
    const [snapshot] = snapshotsFromListing([{ name: 'a' }, { name: 'b' }], '/x/tools.json');
    expect(snapshot!.tools.map((tool) => tool.name)).toEqual(['a', 'b']);
  });

  it('reads several servers with prompts, resources and instructions, sorted by name', async () => {
    const snapshots = await readStaticListing(fixture('servers.json'));
    expect(snapshots.map((snapshot) => snapshot.server)).toEqual(['alpha', 'notes']);
    const notes = snapshots[1]!;
    expect(notes.instructions).toBe('Use these tools to manage notes.');
    expect(notes.prompts).toHaveLength(1);
    expect(notes.resources).toHaveLength(1);
  });

  it.each([
    ['{"tools": {}}', /tools must be an array/],
    ['{"tools": [{"description": "no name"}]}', /tools\[0\] has no string "name"/],
    ['{"servers": {"a": {"resources": [{"name": "x"}]}}}', /servers\.a\.resources\[0\] has no string "uri"/],
    ['{"servers": {"a": {"instructions": 3}}}', /instructions must be a string/],
    ['"just a string"', /expected an object or an array/],
  ])('rejects %s', async (text, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-static-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, text);
    await expect(readStaticListing(path)).rejects.toMatchObject({ code: 'static-invalid', message: expect.stringMatching(message) });
  });

  it('reports the line and column of invalid JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-static-'));
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "tools": [\n    {"name": "a",}\n  ]\n}\n');
    await expect(readStaticListing(path)).rejects.toMatchObject({
      code: 'static-invalid',
      location: { file: path, line: 3 },
    });
  });
});
