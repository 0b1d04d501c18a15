// npm provenance: the registry serves Sigstore bundles (a SLSA provenance statement signed with a
// Fulcio certificate, and npm's own publish attestation signed with a registry key). We verify both
// offline against the trusted root bundled in rules/data — no TUF or Rekor round trips, so the only
// network peer is the registry — then check that the statement is about this exact package and
// tarball, and read the source repository from the certificate Fulcio issued to the CI workflow.
import { readFileSync } from 'node:fs';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type KeyFinderFunc, type TrustMaterial } from '@sigstore/verify';
import type { JsonObject, JsonValue, ProvenanceStatus } from '../model.js';
import { defaultDataDir } from './data-dir.js';
import { bundledRegistryKeys, isKeyValidAt, type RegistryKey } from './registry-signatures.js';

export const SLSA_PREDICATE_PREFIX = 'https://slsa.dev/provenance/';
export const NPM_PUBLISH_PREDICATE = 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1';

export interface ProvenanceVerdict {
  status: Exclude<ProvenanceStatus, 'not-applicable'>;
  /** Source repository the verified certificate names (https URL, no `.git`). */
  repository?: string;
  /** Why it is missing, invalid or unavailable. */
  reason?: string;
}

let trustMaterial: TrustMaterial | undefined;

function loadTrustMaterial(keys: RegistryKey[]): TrustMaterial {
  const raw = JSON.parse(readFileSync(`${defaultDataDir()}/sigstore-trusted-root.json`, 'utf8')) as Record<string, unknown>;
  delete raw._source;
  const root = TrustedRoot.fromJSON(raw);
  const findKey: KeyFinderFunc = (hint) => {
    const matches = keys.filter((k) => k.keyId === hint && k.usage === 'npm:attestations');
    const first = matches[0];
    if (!first) throw new Error(`no npm attestation key ${hint}`);
    return { publicKey: first.publicKey, validFor: (date: Date) => matches.some((k) => isKeyValidAt(k, date)) };
  };
  return toTrustMaterial(root, findKey);
}

function verifier(): Verifier {
  trustMaterial ??= loadTrustMaterial(bundledRegistryKeys());
  return new Verifier(trustMaterial, { tlogThreshold: 1, ctlogThreshold: 1 });
}

/** `pkg:npm/%40scope/name@1.0.0`, the subject name npm writes into its statements. */
export function npmPurl(name: string, version: string): string {
  return `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`;
}

function sriToHex(integrity: string | undefined, algorithm: string): string | undefined {
  if (!integrity) return undefined;
  for (const part of integrity.split(/\s+/)) {
    if (part.startsWith(`${algorithm}-`)) return Buffer.from(part.slice(algorithm.length + 1), 'base64').toString('hex');
  }
  return undefined;
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

function decodeStatement(bundle: JsonObject): JsonObject {
  const envelope = asObject(bundle.dsseEnvelope);
  const payload = envelope?.payload;
  if (typeof payload !== 'string') throw new Error('bundle has no DSSE payload');
  const statement = asObject(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as JsonValue);
  if (!statement) throw new Error('DSSE payload is not an in-toto statement');
  return statement;
}

function checkSubject(statement: JsonObject, name: string, version: string, integrity: string | undefined): string | undefined {
  const subjects = Array.isArray(statement.subject) ? statement.subject : [];
  const expected = npmPurl(name, version);
  const subject = subjects.map(asObject).find((s) => s?.name === expected);
  if (!subject) return `statement is about ${subjects.map((s) => String(asObject(s)?.name)).join(', ') || 'nothing'}, not ${expected}`;
  const digest = asObject(subject.digest)?.sha512;
  const expectedDigest = sriToHex(integrity, 'sha512');
  if (!expectedDigest) return 'the registry gave no sha512 integrity to compare the attested digest with';
  if (digest !== expectedDigest) return 'attested sha512 digest differs from the registry integrity';
  return undefined;
}

/** Source repository from a Fulcio certificate's SAN (GitHub / GitLab workflow identities). */
export function repositoryFromIdentity(san: string | undefined): string | undefined {
  if (!san) return undefined;
  const github = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/\.github\/workflows\//.exec(san);
  if (github) return `https://github.com/${github[1]}/${github[2]}`;
  const gitlab = /^https:\/\/gitlab\.com\/(.+?)\/\/.+@/.exec(san);
  if (gitlab) return `https://gitlab.com/${gitlab[1]}`;
  return undefined;
}

function repositoryFromPredicate(statement: JsonObject): string | undefined {
  const predicate = asObject(statement.predicate);
  const workflow = asObject(asObject(asObject(predicate?.buildDefinition)?.externalParameters)?.workflow);
  if (typeof workflow?.repository === 'string') return workflow.repository.replace(/\.git$/, '');
  const uri = asObject(asObject(predicate?.invocation)?.configSource)?.uri;
  if (typeof uri === 'string') return uri.replace(/^git\+/, '').replace(/@.*$/, '').replace(/\.git$/, '');
  return undefined;
}

/**
 * Verify the registry's attestations document (`{attestations: [{predicateType, bundle}]}`) for one
 * version. `verified` means every bundle verified, the statements name this package, version and
 * tarball digest, and a SLSA provenance statement was among them.
 */
export function verifyNpmAttestations(name: string, version: string, integrity: string | undefined, document: JsonObject): ProvenanceVerdict {
  const list = Array.isArray(document.attestations) ? document.attestations.map(asObject) : [];
  if (list.length === 0) return { status: 'missing', reason: 'the attestations document is empty' };
  let repository: string | undefined;
  let sawProvenance = false;
  for (const attestation of list) {
    const predicateType = typeof attestation?.predicateType === 'string' ? attestation.predicateType : '';
    const bundleJson = asObject(attestation?.bundle);
    if (!bundleJson) return { status: 'invalid', reason: `attestation ${predicateType || '(untyped)'} has no bundle` };
    let signer: ReturnType<Verifier['verify']>;
    let statement: JsonObject;
    try {
      const bundle = bundleFromJSON(bundleJson);
      signer = verifier().verify(toSignedEntity(bundle));
      statement = decodeStatement(bundleJson);
    } catch (error) {
      return { status: 'invalid', reason: `${predicateType || 'attestation'}: ${error instanceof Error ? error.message : String(error)}` };
    }
    const subjectProblem = checkSubject(statement, name, version, integrity);
    if (subjectProblem) return { status: 'invalid', reason: `${predicateType}: ${subjectProblem}` };
    if (predicateType.startsWith(SLSA_PREDICATE_PREFIX)) {
      sawProvenance = true;
      const fromCert = repositoryFromIdentity(signer.identity?.subjectAlternativeName);
      const fromPredicate = repositoryFromPredicate(statement);
      if (fromCert && fromPredicate && normalizeRepository(fromCert) !== normalizeRepository(fromPredicate)) {
        return { status: 'invalid', reason: `certificate names ${fromCert} but the statement names ${fromPredicate}` };
      }
      repository = fromCert ?? fromPredicate;
    }
  }
  if (!sawProvenance) return { status: 'missing', reason: 'no SLSA provenance among the attestations' };
  const verdict: ProvenanceVerdict = { status: 'verified' };
  if (repository) verdict.repository = repository;
  return verdict;
}

/**
 * `git+https://github.com/A/b.git`, `git@github.com:a/b`, `github:a/b`, `a/b` → `github.com/a/b`
 * (lower-case host path, for comparison only).
 */
export function normalizeRepository(repository: string): string {
  let r = repository.trim();
  r = r.replace(/^github:/, 'https://github.com/').replace(/^gitlab:/, 'https://gitlab.com/').replace(/^bitbucket:/, 'https://bitbucket.org/');
  if (/^[\w.-]+\/[\w.-]+$/.test(r)) r = `https://github.com/${r}`;
  r = r.replace(/^git\+/, '').replace(/^git@([^:]+):/, 'https://$1/').replace(/^(ssh|git|https?):\/\/(git@)?/, '');
  r = r.replace(/#.*$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  return r.toLowerCase();
}

/** The `repository` field of a manifest as a string, if any. */
export function manifestRepository(manifest: JsonObject): string | undefined {
  const repo = manifest.repository;
  if (typeof repo === 'string') return repo;
  const url = asObject(repo)?.url;
  return typeof url === 'string' ? url : undefined;
}

