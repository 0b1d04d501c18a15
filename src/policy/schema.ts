// The policy file's JSON Schema. This object is the source; policy.schema.json at the repository root
// is the same schema for editors and is checked against it by test/policy/schema.test.ts. Keeping the
// source in code means the loader never depends on a file the package might not ship.

export const POLICY_SCHEMA_ID = 'https://github.com/mcp-guard/mcp-guard/raw/main/policy.schema.json';

export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: POLICY_SCHEMA_ID,
  title: 'mcp-guard policy',
  description: 'Allow, deny, approve or log MCP tool calls per server and tool. See docs/policy.md.',
  type: 'object',
  additionalProperties: false,
  required: ['version'],
  properties: {
    $schema: { type: 'string' },
    version: { const: 1, description: 'Policy format version.' },
    default: {
      $ref: '#/definitions/action',
      description: 'Decision for calls no server entry decides. Omitted means allow.',
    },
    servers: {
      type: 'object',
      description: 'Per-server policies, keyed by the server name used in the lock and client config.',
      additionalProperties: { $ref: '#/definitions/server' },
    },
  },
  definitions: {
    action: { enum: ['allow', 'deny', 'approve', 'log'] },
    server: {
      type: 'object',
      additionalProperties: false,
      properties: {
        preset: {
          enum: ['read-only', 'approve-writes'],
          description: 'Decides tools no rule matched, by name: writes are denied (read-only) or need approval (approve-writes); other tools are allowed.',
        },
        default: {
          $ref: '#/definitions/action',
          description: 'Decision for this server\'s tools that no rule or preset decided.',
        },
        rules: {
          type: 'array',
          description: 'Checked in order; the first rule that matches decides.',
          items: { $ref: '#/definitions/rule' },
        },
      },
    },
    rule: {
      type: 'object',
      additionalProperties: false,
      required: ['tool', 'action'],
      properties: {
        tool: {
          type: 'string',
          minLength: 1,
          maxLength: 512,
          description: 'Tool name, or a glob: * matches any run of characters, ? one character.',
        },
        action: { $ref: '#/definitions/action' },
        reason: { type: 'string', minLength: 1, maxLength: 1000, description: 'Shown to the model when the call is denied.' },
        match: {
          type: 'object',
          minProperties: 1,
          description: 'Argument path (dots for nesting, $ for all arguments) → pattern. All must match.',
          additionalProperties: { $ref: '#/definitions/matcher' },
        },
        rate: {
          type: 'string',
          pattern: '^[1-9][0-9]{0,8}/(second|minute|hour)$',
          description: 'At most N calls per period for each tool this rule matches, e.g. 30/minute.',
        },
      },
    },
    matcher: {
      oneOf: [
        { type: 'string', description: 'An RE2 regular expression, matched anywhere in the value.' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['regex'],
          properties: { regex: { type: 'string' } },
        },
        {
          type: 'object',
          additionalProperties: false,
          required: ['preset'],
          properties: { preset: { enum: ['path-traversal', 'shell-metacharacters', 'sql-ddl'] } },
        },
      ],
    },
  },
} as const;
