import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRuleMetas } from '../../src/cli/context.js';
import { docsUrlFor } from '../../src/findings/finding.js';

// Every rule any part of mcp-guard can emit is registered once, has a permanent kebab-case id and a docs
// page whose title is that id (house style: one id, derived docs URL, SARIF rule metadata from one place).
describe('rule registry', () => {
  const rules = [...allRuleMetas().values()];

  it('covers the pipeline, definition and supply-chain rules', () => {
    const ids = rules.map((rule) => rule.id);
    for (const id of ['lock-drift', 'server-unreachable', 'unicode-tag-smuggling', 'package-typosquat', 'unpinned-package']) {
      expect(ids).toContain(id);
    }
  });

  it.each(rules.map((rule) => [rule.id, rule] as const))('%s has metadata and a docs page', (id, rule) => {
    expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(rule.title.trim()).not.toBe('');
    expect(rule.description.trim()).not.toBe('');
    const page = new URL(`../../docs/rules/${id}.md`, import.meta.url);
    expect(existsSync(page), `docs/rules/${id}.md`).toBe(true);
    expect(readFileSync(page, 'utf8').split('\n')[0]).toBe(`# ${id}`);
    expect(docsUrlFor(id)).toContain(`docs/rules/${id}.md`);
  });
});
