// Builds ServerSnapshots for tests from the shapes rule examples and corpus files use.
import type { JsonObject, ServerSnapshot } from '../../src/model.js';
import type { CheckExample } from '../../src/rules/define-check.js';

export interface SnapshotParts {
  tools?: JsonObject[];
  prompts?: JsonObject[];
  resources?: JsonObject[];
  resourceTemplates?: JsonObject[];
  instructions?: string;
}

export function snapshot(server: string, parts: SnapshotParts): ServerSnapshot {
  const result: ServerSnapshot = {
    server,
    protocolVersion: '2025-11-25',
    serverInfo: { name: server, version: '0.0.0' },
    serverCapabilities: {},
    clientCapabilities: {},
    tools: parts.tools ?? [],
    prompts: parts.prompts ?? [],
    resources: parts.resources ?? [],
    resourceTemplates: parts.resourceTemplates ?? [],
    notes: [],
  };
  if (parts.instructions !== undefined) result.instructions = parts.instructions;
  return result;
}

export function toolWithDescription(description: string): ServerSnapshot {
  return snapshot('example', { tools: [{ name: 'example_tool', description, inputSchema: { type: 'object' } }] });
}

export function snapshotsOf(example: CheckExample): ServerSnapshot[] {
  if ('tool' in example) return [snapshot('example', { tools: [example.tool] })];
  return Object.entries(example.servers).map(([name, parts]) => snapshot(name, parts));
}
