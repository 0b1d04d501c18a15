// Every rule id the engine can emit has docs/rules/<id>.md with the three sections users need.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docsUrlFor } from '../../src/findings/finding.js';
import { definitionRuleMetas } from '../../src/rules/engine.js';

const DOCS_DIR = new URL('../../docs/rules/', import.meta.url);

describe('rule docs', () => {
  const metas = definitionRuleMetas();
  it('covers a non-trivial rule set', () => {
    expect(metas.length).toBeGreaterThanOrEqual(20);
  });
  it.each(metas.map((meta) => meta.id))('%s has a docs page with what / why / how to fix', (id) => {
    const page = readFileSync(new URL(`${id}.md`, DOCS_DIR), 'utf8');
    expect(page.startsWith(`# ${id}\n`)).toBe(true);
    for (const heading of ['## What it detects', '## Why it matters', '## How to fix']) expect(page).toContain(heading);
    expect(docsUrlFor(id).endsWith(`/docs/rules/${id}.md`)).toBe(true);
  });
  it('ids are kebab-case and unique', () => {
    const ids = metas.map((meta) => meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});
