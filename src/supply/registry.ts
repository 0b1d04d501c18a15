// Talking to the npm registry: fetch packuments and attestation documents, resolve a launch spec to
// the version npx would run, and tell what a (possibly stripped) registry response can support.
import semver from 'semver';
import type { JsonObject, JsonValue } from '../model.js';

export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org/';
const REQUEST_TIMEOUT_MS = 15_000;

export type PackumentFetcher = (name: string) => Promise<JsonObject>;
export type AttestationFetcher = (url: string) => Promise<JsonObject>;

/** The registry answered, and the package (or document) is not there. */
export class RegistryNotFoundError extends Error {
  readonly code = 'E404';
  constructor(what: string) {
    super(`${what} not found on the registry`);
    this.name = 'RegistryNotFoundError';
  }
}

export function isNotFound(error: unknown): boolean {
  if (error instanceof RegistryNotFoundError) return true;
  const e = error as { code?: unknown; statusCode?: unknown } | null;
  return e !== null && typeof e === 'object' && (e.code === 'E404' || e.statusCode === 404);
}

async function fetchJson(url: string): Promise<JsonObject> {
  const { default: registryFetch } = await import('npm-registry-fetch');
  const body = await registryFetch.json(url, {
    registry: DEFAULT_NPM_REGISTRY,
    // Full documents: the abbreviated form lacks `time`, `repository` and `_npmUser`.
    headers: { accept: 'application/json' },
    fullMetadata: true,
    timeout: REQUEST_TIMEOUT_MS,
    preferOnline: true,
    retry: { retries: 1, minTimeout: 500, maxTimeout: 2_000 },
  });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error(`unexpected response from ${url}`);
  return body as JsonObject;
}

/** Packuments from the public registry (always the default one: an override is a finding, not a source). */
export const fetchPackumentFromRegistry: PackumentFetcher = (name) => fetchJson(`/${name.replace('/', '%2f')}`);

export const fetchAttestationsFromRegistry: AttestationFetcher = (url) => fetchJson(url);

export function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/**
 * The version npx would install for `spec`: exact versions as written, dist-tags through the tag
 * table, ranges to the highest match (preferring the `latest` tag when it satisfies, as npm does).
 */
export function resolveVersion(packument: JsonObject, spec: string | undefined): string | undefined {
  const versions = Object.keys(asObject(packument.versions) ?? {});
  const tags = asObject(packument['dist-tags']) ?? {};
  const wanted = spec === undefined || spec === '' ? 'latest' : spec;
  const tagged = tags[wanted];
  if (typeof tagged === 'string') return versions.includes(tagged) ? tagged : undefined;
  if (semver.valid(wanted)) return versions.includes(wanted) ? wanted : undefined;
  if (!semver.validRange(wanted)) return undefined;
  const latest = tags.latest;
  if (typeof latest === 'string' && versions.includes(latest) && semver.satisfies(latest, wanted)) return latest;
  return semver.maxSatisfying(versions, wanted) ?? undefined;
}

/** What this response lets us check; a stripped mirror answers without signatures, attestations or times. */
export interface RegistryCapabilities {
  signatures: boolean;
  attestations: boolean;
  publishTimes: boolean;
}

export function registryCapabilities(packument: JsonObject): RegistryCapabilities {
  const versions = Object.values(asObject(packument.versions) ?? {}).map(asObject);
  const dists = versions.map((v) => asObject(v?.dist));
  const time = asObject(packument.time);
  return {
    signatures: dists.some((d) => Array.isArray(d?.signatures) && d.signatures.length > 0),
    attestations: dists.some((d) => asObject(d?.attestations) !== undefined),
    // The public registry always records `created` and `modified`; without them the per-version times
    // are a mirror's own and cannot date a release.
    publishTimes: typeof time?.created === 'string' && typeof time?.modified === 'string' && !Number.isNaN(Date.parse(time.created)),
  };
}

export function publishTime(packument: JsonObject, version: string): Date | undefined {
  const value = asObject(packument.time)?.[version];
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export function createdTime(packument: JsonObject): Date | undefined {
  const value = asObject(packument.time)?.created;
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** Lifecycle scripts npm runs on install, plus an implicit `node-gyp rebuild` for native addons. */
export function installScripts(manifest: JsonObject): string[] {
  const scripts = asObject(manifest.scripts) ?? {};
  const found = ['preinstall', 'install', 'postinstall'].filter((s) => typeof scripts[s] === 'string' && scripts[s] !== '');
  if (found.length === 0 && (manifest.gypfile === true || manifest.hasInstallScript === true)) found.push('install (native build)');
  return found;
}
