import { describe, expect, test } from 'vitest';
import { canonicalJson, entityDigests, semanticView, sha256Digest } from '../../src/lock/digest.js';
import type { JsonObject, JsonValue } from '../../src/model.js';

function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('canonicalJson (RFC 8785)', () => {
  // RFC 8785 appendix B: IEEE 754 bit patterns and their canonical text.
  test.each([
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ])('number %s → %s', (bits, expected) => {
    expect(canonicalJson(fromBits(bits))).toBe(expected);
  });

  test('RFC 8785 §3.2.2 example: numbers, string escapes, literals', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    ) as JsonValue;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  test('RFC 8785 §3.2.3 example: keys sorted by UTF-16 code units', () => {
    const input = JSON.parse(
      '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",' +
        '"\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control", "\\u00f6": "Latin Small Letter O With Diaeresis"}',
    ) as JsonValue;
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  test('key order of the input never changes the output', () => {
    const a = JSON.parse('{"b":{"y":1,"x":[{"q":1,"p":2}]},"a":"s"}') as JsonValue;
    const b = JSON.parse('{"a":"s","b":{"x":[{"p":2,"q":1}],"y":1}}') as JsonValue;
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(sha256Digest(a)).toBe(sha256Digest(b));
  });

  test('lone surrogates are escaped deterministically instead of throwing, and stay distinct', () => {
    const lone = JSON.parse('{"d":"a\\ud800b","k\\udfff":1}') as JsonValue;
    expect(canonicalJson(lone)).toBe('{"d":"a\\ud800b","k\\udfff":1}');
    expect(canonicalJson(lone)).toBe(canonicalJson(structuredClone(lone)));
    // The six-character text `\ud800` is a different string and must not collide.
    const literal = JSON.parse('{"d":"a\\\\ud800b","k\\udfff":1}') as JsonValue;
    expect(sha256Digest(literal)).not.toBe(sha256Digest(lone));
  });

  test('no Unicode normalisation: NFC and NFD spellings hash differently', () => {
    const nfc = 'caf\u00e9';
    const nfd = 'cafe\u0301';
    expect(nfc.normalize('NFC')).toBe(nfd.normalize('NFC'));
    expect(sha256Digest({ description: nfc })).not.toBe(sha256Digest({ description: nfd }));
  });

  test('digest format', () => {
    expect(sha256Digest({})).toBe('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });
});

describe('semantic view and digests', () => {
  const tool: JsonObject = {
    name: 'echo',
    title: 'Echo',
    description: 'Echoes back the input',
    inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { m: { type: 'string' } } },
    outputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' },
    annotations: { readOnlyHint: true },
    icons: [{ src: 'https://example.com/a.png' }],
    execution: { taskSupport: 'forbidden' },
    _meta: { 'vendor.example/x': 1 },
    vendorExtra: true,
  };

  test('tools keep name, title, description, schemas without root $schema, annotations', () => {
    expect(semanticView('tool', tool)).toEqual({
      name: 'echo',
      title: 'Echo',
      description: 'Echoes back the input',
      inputSchema: { type: 'object', properties: { m: { type: 'string' } } },
      outputSchema: { type: 'object' },
      annotations: { readOnlyHint: true },
    });
  });

  test.each<[string, (t: JsonObject) => void]>([
    ['$schema dialect flip', (t) => ((t.inputSchema as JsonObject).$schema = 'https://json-schema.org/draft/2020-12/schema')],
    ['$schema removed from outputSchema', (t) => delete (t.outputSchema as JsonObject).$schema],
    ['vendor _meta', (t) => (t._meta = { 'vendor.example/x': 2, other: 'y' })],
    ['icons', (t) => (t.icons = [])],
    ['unknown top-level key', (t) => (t.somethingNew = 'z')],
  ])('semantic digest ignores %s, full digest does not', (_label, mutate) => {
    const changed = structuredClone(tool);
    mutate(changed);
    const before = entityDigests('tool', tool);
    const after = entityDigests('tool', changed);
    expect(after.semantic).toBe(before.semantic);
    expect(after.full).not.toBe(before.full);
  });

  test('a nested $schema is part of the meaning', () => {
    const changed = structuredClone(tool);
    ((changed.inputSchema as JsonObject).properties as JsonObject).m = { $schema: 'x', type: 'string' };
    expect(entityDigests('tool', changed).semantic).not.toBe(entityDigests('tool', tool).semantic);
  });

  test('prompts, resources and templates keep their own fields', () => {
    expect(semanticView('prompt', { name: 'p', description: 'd', arguments: [{ name: 'a' }], icons: [] })).toEqual({
      name: 'p',
      description: 'd',
      arguments: [{ name: 'a' }],
    });
    expect(semanticView('resource', { uri: 'file:///a', name: 'a', mimeType: 'text/plain', size: 3, annotations: {} })).toEqual({
      uri: 'file:///a',
      name: 'a',
      mimeType: 'text/plain',
    });
    expect(semanticView('resourceTemplate', { uriTemplate: 'x://{id}', name: 't', title: 'T', _meta: {} })).toEqual({
      uriTemplate: 'x://{id}',
      name: 't',
      title: 'T',
    });
  });

  test('same input twice gives the same digests; a __proto__ key is data, not a prototype', () => {
    const hostile = JSON.parse('{"name":"x","inputSchema":{"type":"object","properties":{"__proto__":{"type":"string"}}}}') as JsonObject;
    const first = entityDigests('tool', hostile);
    const second = entityDigests('tool', JSON.parse(JSON.stringify(hostile)) as JsonObject);
    expect(second).toEqual(first);
    const without = JSON.parse('{"name":"x","inputSchema":{"type":"object","properties":{}}}') as JsonObject;
    expect(entityDigests('tool', without).semantic).not.toBe(first.semantic);
  });
});

describe('entityDigests assembles both digests from one canonicalisation', () => {
  test('equal to digesting the entity and its semantic view separately (property)', async () => {
    const fc = await import('fast-check');
    const key = fc.oneof(
      fc.constantFrom('name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations', 'arguments', 'uri', 'uriTemplate', 'mimeType', '_meta', '$schema', 'icons'),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    const schema = fc.dictionary(fc.oneof(fc.constant('$schema'), key), fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 }), { maxKeys: 5 });
    const entity = fc.dictionary(key, fc.oneof(schema, fc.jsonValue({ stringUnit: 'binary', maxDepth: 3 })), { maxKeys: 8 });
    const kind = fc.constantFrom('tool', 'prompt', 'resource', 'resourceTemplate' as const);
    fc.assert(
      fc.property(kind, entity, (k, e) => {
        const value = e as JsonObject;
        expect(entityDigests(k, value)).toEqual({ full: sha256Digest(value), semantic: sha256Digest(semanticView(k, value)) });
      }),
      { numRuns: 1000 },
    );
  });
});
