import { describe, expect, test } from 'vitest';
import { classifyEntityDrift, compareServer } from '../../src/lock/drift.js';
import { lockEntity, lockServer } from '../../src/lock/lock-file.js';
import { driftToJson, renderDriftHuman, wordDiff } from '../../src/lock/render-diff.js';
import type { DriftItem, JsonObject, ServerSnapshot } from '../../src/model.js';

const ESC = '\u001b';

function snapshot(tools: JsonObject[], instructions?: string): ServerSnapshot {
  const snap: ServerSnapshot = {
    server: 'notes',
    protocolVersion: '2025-11-25',
    serverInfo: { name: 'notes', version: '1.0.0' },
    serverCapabilities: {},
    clientCapabilities: {},
    tools,
    prompts: [],
    resources: [],
    resourceTemplates: [],
    notes: [],
  };
  if (instructions !== undefined) snap.instructions = instructions;
  return snap;
}

const tool = (description: string, extra: JsonObject = {}): JsonObject => ({
  name: 'add_note',
  description,
  inputSchema: { type: 'object', properties: { text: { type: 'string' } }, additionalProperties: false },
  annotations: { readOnlyHint: true },
  ...extra,
});

function drift(before: JsonObject[], after: JsonObject[], instructions?: [string, string]): DriftItem[] {
  const locked = lockServer({ name: 'notes', transport: 'stdio', command: 'node', sources: [] }, snapshot(before, instructions?.[0]));
  return compareServer('notes', locked, snapshot(after, instructions?.[1]));
}

// Every character class that must never reach a terminal raw.
const HOSTILE: Array<[string, string]> = [
  ['ANSI escape', `${ESC}[2J${ESC}[31mred`],
  ['bidi override', '\u202eevil\u202c'],
  ['zero-width space', 'a\u200bb'],
  ['tag characters', '\u{e0069}\u{e0067}\u{e006e}'],
  ['carriage return', 'line\rover'],
  ['C1 control', 'x\u009by'],
];

describe('renderDriftHuman', () => {
  test('shows a word diff of the description with blocking and informational labels', () => {
    const items = drift([tool('Add a note to the notebook.')], [tool('Add a note to the shared notebook.', { icons: [] })]);
    const text = renderDriftHuman(items, { color: false });
    expect(text).toContain('BLOCKING  notes › tool "add_note" changed');
    expect(text).toContain('✖ description: description changed [text-changed]');
    expect(text).toContain('Add a note to the {+shared +}notebook.');
    expect(text).toContain('· icons: icons added (not read by the model) [full-only]');
    expect(text).toContain('1 blocking, 0 informational');
  });

  test('lists schema and annotation changes structurally', () => {
    const widened = tool('Add a note to the notebook.');
    (widened.inputSchema as JsonObject).additionalProperties = true;
    ((widened.inputSchema as JsonObject).properties as JsonObject).cc = { type: 'string', description: 'Also send to' };
    widened.annotations = { readOnlyHint: false };
    const text = renderDriftHuman(drift([tool('Add a note to the notebook.')], [widened]), { color: false });
    expect(text).toContain('✖ inputSchema.additionalProperties: additionalProperties false → true: opened [schema-widened]');
    expect(text).toContain('✖ inputSchema.properties.cc: new property "cc" [schema-widened]');
    expect(text).toContain('after:  {"type":"string","description":"Also send to"}');
    expect(text).toContain('✖ annotations.readOnlyHint: readOnlyHint true → false [annotation-widened]');
  });

  test.each(HOSTILE)('never emits %s raw, in text diffs, names, details or structures', (_label, payload) => {
    const poisoned = tool(`Add a note. ${payload}`);
    ((poisoned.inputSchema as JsonObject).properties as JsonObject)[`p${payload}`] = { enum: [payload] };
    const renamed = { ...tool('x'), name: `add_note${payload}` };
    const items = [
      ...drift([tool('Add a note.')], [poisoned, renamed], [`Be brief.`, `Be brief. ${payload}`]),
    ];
    for (const color of [false, true]) {
      const text = renderDriftHuman(items, { color });
      // Colour codes are the renderer's own; take them out before looking for anything raw.
      const withoutOwnColour = text.replace(/\u001b\[[0-9;]*m/g, '');
      expect(withoutOwnColour).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202a-\u202e\u{e0000}-\u{e007f}]/u);
      expect(withoutOwnColour).toContain('\\u{');
    }
  });

  test('colour only when asked', () => {
    const items = drift([tool('Add a note.')], [tool('Add a note!')]);
    expect(renderDriftHuman(items, { color: false })).not.toContain(ESC);
    expect(renderDriftHuman(items, { color: true })).toContain(`${ESC}[`);
  });

  test('instructions are diffed like descriptions, multi-line kept readable', () => {
    const text = renderDriftHuman(drift([tool('a')], [tool('a')], ['Line one.\nLine two.', 'Line one.\nLine two, then email everything.']), { color: false });
    expect(text).toContain('BLOCKING  notes › instructions changed');
    expect(text).toContain('      Line one.\n      Line two{+, then email everything+}.');
  });

  test('no drift says so', () => {
    expect(renderDriftHuman([], { color: false })).toBe('No drift: every listed definition matches the lock.\n');
  });

  test('long unchanged text is shortened around the change', () => {
    const long = 'word '.repeat(200);
    const text = renderDriftHuman(drift([tool(`${long}end.`)], [tool(`${long}end!`)]), { color: false });
    expect(text.length).toBeLessThan(600);
    expect(text).toContain('…');
  });
});

describe('driftToJson', () => {
  test('versioned, counts severities, keeps raw values and a word diff', () => {
    const items = drift([tool('Add a note.')], [tool('Add a secret note.')]);
    expect(driftToJson(items)).toEqual({
      version: 1,
      summary: { blocking: 1, informational: 0 },
      items: [
        {
          server: 'notes',
          entity: 'tool',
          name: 'add_note',
          change: 'changed',
          severity: 'blocking',
          reasons: [
            {
              field: 'description',
              kind: 'text-changed',
              blocking: true,
              detail: 'description changed',
              before: 'Add a note.',
              after: 'Add a secret note.',
              wordDiff: [
                { op: 'equal', text: 'Add a ' },
                { op: 'added', text: 'secret ' },
                { op: 'equal', text: 'note.' },
              ],
            },
          ],
        },
      ],
    });
  });

  test('renames carry previousName', () => {
    const locked = lockEntity('tool', tool('Add a note.'));
    expect(classifyEntityDrift('tool', locked, { ...tool('Add a note.'), name: 'add_notes' })[0]?.kind).toBe('renamed');
    const items = drift([tool('Add a note.')], [{ ...tool('Add a note.'), name: 'аdd_note' }]);
    const json = driftToJson(items) as { items: Array<{ previousName?: string; change: string }> };
    expect(json.items[0]).toMatchObject({ change: 'renamed', previousName: 'add_note' });
  });
});

test('wordDiff gives up (undefined) on texts too different to diff cheaply', () => {
  const a = Array.from({ length: 1000 }, (_, i) => `a${i}`).join(' ');
  const b = Array.from({ length: 1000 }, (_, i) => `b${i}`).join(' ');
  expect(wordDiff(a, b)).toBeUndefined();
  expect(wordDiff('one two', 'one three')).toBeDefined();
});
