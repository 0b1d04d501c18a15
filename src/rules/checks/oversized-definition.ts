// The surface walk is bounded (deep nesting, huge string counts) so hostile schemas cannot stall a scan.
// Whatever lies past a bound goes unread, which is exactly where an attacker would put a payload: say so.

import { defineCheck } from '../define-check.js';
import type { RuleHit } from '../define-check.js';
import { MAX_SCHEMA_DEPTH, MAX_SURFACES_PER_ENTITY } from '../surfaces.js';
import type { JsonObject } from '../../model.js';

function nested(depth: number): JsonObject {
  let schema: JsonObject = { type: 'string', description: 'leaf' };
  for (let i = 0; i < depth; i++) schema = { type: 'object', properties: { child: schema } };
  return schema;
}

export const oversizedDefinition = defineCheck({
  meta: {
    id: 'oversized-definition',
    category: 'hidden-text',
    title: 'Definition too large or too deep to analyse fully',
    severity: 'medium',
    confidence: 'medium',
    description: `A definition nests schemas deeper than ${MAX_SCHEMA_DEPTH} levels or carries more than ${MAX_SURFACES_PER_ENTITY} strings. mcp-guard stops there to stay fast on hostile input, so text beyond that point was not checked.`,
    tip: 'Review the definition by hand (mcp-guard lock stores it in full); real tools are far smaller.',
    references: ['https://modelcontextprotocol.io/specification/2025-11-25/server/tools'],
  },
  message: '{{entity}} is {{what}}; the rest of it was not analysed',
  examples: {
    match: [
      { tool: { name: 'deep', description: 'Deep.', inputSchema: nested(MAX_SCHEMA_DEPTH + 3) } },
      { tool: { name: 'wide', description: 'Wide.', inputSchema: { type: 'object', properties: { mode: { type: 'string', enum: Array.from({ length: MAX_SURFACES_PER_ENTITY + 5 }, (_, i) => `v${i}`) } } } } },
    ],
    noMatch: [{ tool: { name: 'normal', description: 'Normal.', inputSchema: nested(10) } }],
  },
  run(context) {
    const hits: RuleHit[] = [];
    for (const entity of context.entities) {
      if (!entity.truncated) continue;
      hits.push({
        ruleId: 'oversized-definition',
        entity,
        field: entity.kind === 'tool' ? 'inputSchema' : '',
        args: {
          what: entity.truncated === 'depth' ? `nested deeper than ${MAX_SCHEMA_DEPTH} schema levels` : `larger than ${MAX_SURFACES_PER_ENTITY} strings`,
        },
        evidence: entity.truncated === 'depth' ? `schema depth > ${MAX_SCHEMA_DEPTH}` : `more than ${MAX_SURFACES_PER_ENTITY} strings`,
        discriminator: entity.truncated,
      });
    }
    return hits;
  },
});
