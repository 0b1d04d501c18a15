// Writes src/lock/lock-schema-validator.generated.ts: mcp-lock.schema.json compiled ahead of time
// by ajv's standalone code generator, so reading a lock at proxy start neither imports ajv (~80
// CommonJS modules) nor compiles the schema. Run after any change to the schema or to ajv:
//   node scripts/build-lock-validator.mjs
// test/lock/lock-validate-generated.test.ts regenerates the module in memory and fails when the
// committed file differs, and checks the generated validator against a freshly compiled one.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const require = createRequire(import.meta.url);

export const SCHEMA_PATH = fileURLToPath(new URL('../mcp-lock.schema.json', import.meta.url));
export const GENERATED_PATH = fileURLToPath(new URL('../src/lock/lock-schema-validator.generated.ts', import.meta.url));

/**
 * The options the validator is compiled with. The test compiles the schema at run time with these
 * same options and demands identical errors from both, so they live in one place.
 */
export const AJV_OPTIONS = Object.freeze({ allErrors: true, strict: true });

/**
 * ajv runtime helpers that may be copied into the generated module. Each must be one self-contained
 * function (no closure, no require), which is true of ucs2length (minLength counts code points, not
 * UTF-16 units). Anything else the generated code asks for stops the build rather than dragging ajv
 * back in at run time.
 */
const INLINABLE_HELPERS = new Set(['ajv/dist/runtime/ucs2length']);

/** The TypeScript source of the generated module for the schema text given. */
export function lockValidatorSource(schemaText = readFileSync(SCHEMA_PATH, 'utf8')) {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, code: { source: true, esm: true, lines: true } });
  const validate = ajv.compile(JSON.parse(schemaText));
  let code = standaloneCode(ajv, validate);

  code = code.replace(/require\("([^"]+)"\)\.default/g, (_, specifier) => {
    if (!INLINABLE_HELPERS.has(specifier)) {
      throw new Error(`the generated lock validator needs ${specifier} at run time; decide how to ship it before adding it to INLINABLE_HELPERS`);
    }
    const helper = require(specifier).default;
    return `(${helper.toString()})`;
  });
  if (/\brequire\s*\(/.test(code)) throw new Error('the generated lock validator still calls require()');

  // ajv's ESM wrapper starts with these exports; ours replace them with one typed export.
  const name = validate.source?.validateName?.toString();
  const prefix = `"use strict";\nexport const validate = ${name};\nexport default ${name};\n`;
  if (!name || !code.startsWith(prefix)) throw new Error('unexpected shape of ajv standalone output; update scripts/build-lock-validator.mjs');
  const body = code.slice(prefix.length);

  const { version } = require('ajv/package.json');
  return [
    '// @ts-nocheck -- generated JavaScript from ajv; it is not written to pass strict TypeScript.',
    `// GENERATED from mcp-lock.schema.json by scripts/build-lock-validator.mjs (ajv ${version} standalone,`,
    `// options ${JSON.stringify(AJV_OPTIONS)}). Do not edit. After changing the schema or ajv, regenerate:`,
    '//   node scripts/build-lock-validator.mjs',
    '// test/lock/lock-validate-generated.test.ts fails while this file is stale.',
    "import type { ErrorObject } from 'ajv';",
    '',
    '/** An ajv validate function: true when `data` matches the schema; otherwise `errors` says why. */',
    'export interface LockSchemaValidator {',
    '  (data: unknown): boolean;',
    '  errors?: ErrorObject[] | null;',
    '}',
    '',
    body.trimEnd(),
    '',
    `export const validateLockSchema: LockSchemaValidator = ${name};`,
    '',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(GENERATED_PATH, lockValidatorSource());
  console.log(`wrote ${GENERATED_PATH}`);
}
