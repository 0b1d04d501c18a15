// Replays fixtures/registry/ as a registry: no network in default tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '../../src/model.js';
import { RegistryNotFoundError } from '../../src/supply/registry.js';

export const REGISTRY_FIXTURES = fileURLToPath(new URL('../../fixtures/registry/', import.meta.url));

export function readFixture(relative: string): JsonObject {
  return JSON.parse(readFileSync(`${REGISTRY_FIXTURES}${relative}`, 'utf8')) as JsonObject;
}

const ATTESTATION_URLS: Record<string, string> = {
  'https://registry.npmjs.org/-/npm/v1/attestations/@playwright%2fcli@0.1.1': 'attestations/playwright-cli-0.1.1.json',
};

/** Answers packument requests from packuments/<stem>.json by package name; unknown names are 404s. */
export function recordedRegistry(packuments: Record<string, string>): {
  fetchPackument: (name: string) => Promise<JsonObject>;
  fetchAttestations: (url: string) => Promise<JsonObject>;
  requested: string[];
} {
  const requested: string[] = [];
  return {
    requested,
    fetchPackument: async (name) => {
      requested.push(name);
      const stem = packuments[name];
      if (!stem) throw new RegistryNotFoundError(name);
      return readFixture(`packuments/${stem}.json`);
    },
    fetchAttestations: async (url) => {
      const file = ATTESTATION_URLS[url];
      if (!file) throw new RegistryNotFoundError(url);
      return readFixture(file);
    },
  };
}
