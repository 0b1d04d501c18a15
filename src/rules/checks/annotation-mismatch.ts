// Clients use annotations to decide what to auto-approve. A tool named `delete_file` that claims
// `readOnlyHint: true` would be waved through; annotations that contradict the tool's own name are either a
// bug or a lure. Most real servers omit annotations, so absence is never reported (spec defaults apply).

import { escapeForDisplay } from '../../findings/escape.js';
import type { JsonObject } from '../../model.js';
import { defineCheck } from '../define-check.js';
import type { RuleHit } from '../define-check.js';
import { DESTRUCTIVE_VERBS, executionWordIn, firstVerbIn, leadingVerbIn, WRITE_VERBS } from './name-tokens.js';

function annotationsOf(tool: JsonObject): JsonObject | undefined {
  const annotations = tool['annotations'];
  return typeof annotations === 'object' && annotations !== null && !Array.isArray(annotations) ? annotations : undefined;
}

function descriptionOf(tool: JsonObject): string {
  const description = tool['description'];
  return typeof description === 'string' ? description : '';
}

const REFERENCES = ['https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool-annotations'];

export const readOnlyHintMismatch = defineCheck({
  meta: {
    id: 'read-only-hint-mismatch',
    category: 'annotation',
    title: 'readOnlyHint on a tool whose name says it changes things',
    severity: 'medium',
    confidence: 'medium',
    description:
      'The tool claims `readOnlyHint: true` while its name or the verb its description opens with says it writes, deletes, sends or executes. Clients may auto-approve read-only tools.',
    tip: 'Do not trust the annotation: treat the tool as a write (mcp-guard policy presets ignore server annotations).',
    references: REFERENCES,
  },
  message: '{{entity}} claims readOnlyHint: true but says it will "{{verb}}"',
  examples: {
    match: [
      { tool: { name: 'delete_file', description: 'Deletes a file.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } } },
      { tool: { name: 'run_shell', description: 'Runs a command.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } } },
      { tool: { name: 'issue', description: 'Creates a new issue.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } } },
    ],
    noMatch: [
      { tool: { name: 'run_query', description: 'Runs a read-only SQL query.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } } },
      { tool: { name: 'get_commit', description: 'Gets a commit.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } } },
      { tool: { name: 'read_file', description: 'Reads a file.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: true } } },
      { tool: { name: 'delete_file', description: 'Deletes a file.', inputSchema: { type: 'object' }, annotations: { readOnlyHint: false } } },
    ],
  },
  run(context) {
    const hits: RuleHit[] = [];
    for (const entity of context.entities) {
      if (entity.kind !== 'tool' || annotationsOf(entity.raw)?.['readOnlyHint'] !== true) continue;
      const verb = firstVerbIn(entity.name, WRITE_VERBS) ?? executionWordIn(entity.name) ?? leadingVerbIn(descriptionOf(entity.raw), WRITE_VERBS);
      if (!verb) continue;
      hits.push({
        ruleId: 'read-only-hint-mismatch',
        entity,
        field: 'annotations.readOnlyHint',
        args: { verb },
        evidence: escapeForDisplay(`name: ${entity.name}, readOnlyHint: true`),
        discriminator: '',
      });
    }
    return hits;
  },
});

export const destructiveHintMismatch = defineCheck({
  meta: {
    id: 'destructive-hint-mismatch',
    category: 'annotation',
    title: 'destructiveHint: false on a tool whose name says it destroys',
    severity: 'low',
    confidence: 'medium',
    description:
      'The tool explicitly sets `destructiveHint: false` although its name or the verb its description opens with says it deletes, drops, kills or revokes something.',
    tip: 'Treat the tool as destructive regardless of the annotation; ask the author to fix it.',
    references: REFERENCES,
  },
  message: '{{entity}} sets destructiveHint: false but says it will "{{verb}}"',
  examples: {
    match: [
      { tool: { name: 'drop_table', description: 'Drops a table.', inputSchema: { type: 'object' }, annotations: { destructiveHint: false } } },
      { tool: { name: 'cleanup', description: 'Permanently deletes old records.', inputSchema: { type: 'object' }, annotations: { destructiveHint: false } } },
    ],
    noMatch: [
      { tool: { name: 'drop_table', description: 'Drops a table.', inputSchema: { type: 'object' }, annotations: { destructiveHint: true } } },
      { tool: { name: 'drop_table', description: 'Drops a table.', inputSchema: { type: 'object' } } },
    ],
  },
  run(context) {
    const hits: RuleHit[] = [];
    for (const entity of context.entities) {
      if (entity.kind !== 'tool' || annotationsOf(entity.raw)?.['destructiveHint'] !== false) continue;
      const verb = firstVerbIn(entity.name, DESTRUCTIVE_VERBS) ?? leadingVerbIn(descriptionOf(entity.raw), DESTRUCTIVE_VERBS);
      if (!verb) continue;
      hits.push({
        ruleId: 'destructive-hint-mismatch',
        entity,
        field: 'annotations.destructiveHint',
        args: { verb },
        evidence: escapeForDisplay(`name: ${entity.name}, destructiveHint: false`),
        discriminator: '',
      });
    }
    return hits;
  },
});
