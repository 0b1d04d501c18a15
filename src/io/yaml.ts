// The `yaml` package, loaded from one file when the build made it (scripts/bundle-cjs.mjs writes
// dist/vendor/yaml.cjs from yaml's own CommonJS build). `mcp-guard proxy` parses its policy before the
// first response, and importing yaml from its ~70 files costs 40–60 ms of module resolution and reads
// there; the one file costs a third of that. Without the bundle (tests run from src/) the package is
// loaded as usual: the same code either way. Every YAML consumer goes through here so that nodes made by
// one copy are never checked with another copy's isMap/isScalar.

import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);

function loadYaml(): typeof Yaml {
  try {
    return require('../vendor/yaml.cjs') as typeof Yaml;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // Only "there is no bundle" falls back; a bundle that exists but fails must not be papered over.
    if (code !== 'MODULE_NOT_FOUND' || !message.includes('vendor/yaml.cjs')) throw error;
    return require('yaml') as typeof Yaml;
  }
}

export const yaml = loadYaml();
