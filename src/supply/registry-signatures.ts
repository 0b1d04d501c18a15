// npm registry signatures: ECDSA P-256 / SHA-256 over `${name}@${version}:${integrity}`, checked with
// the registry's published keys as bundled in rules/data (never fetched: a mirror that rewrites packages
// could rewrite keys too). Same rules as `npm audit signatures`: the key must be the one named by the
// signature and valid at the version's publish time.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaultDataDir } from './data-dir.js';

export interface RegistryKey {
  keyId: string;
  usage: 'npm:signatures' | 'npm:attestations' | string;
  publicKey: KeyObject;
  validFrom?: Date;
  validUntil?: Date;
}

export interface RegistrySignature {
  keyid: string;
  sig: string;
}

export type SignatureVerdict =
  | { status: 'verified'; keyId: string }
  | { status: 'invalid'; reason: string }
  | { status: 'unavailable'; reason: string };

interface KeysFile {
  keys: Array<{ keyId: string; keyUsage: string; publicKey: { rawBytes: string; validFor?: { start?: string; end?: string } } }>;
}

export function parseRegistryKeys(json: string): RegistryKey[] {
  const file = JSON.parse(json) as KeysFile;
  return file.keys.map((k) => {
    const key: RegistryKey = {
      keyId: k.keyId,
      usage: k.keyUsage,
      publicKey: createPublicKey({ key: Buffer.from(k.publicKey.rawBytes, 'base64'), format: 'der', type: 'spki' }),
    };
    if (k.publicKey.validFor?.start) key.validFrom = new Date(k.publicKey.validFor.start);
    if (k.publicKey.validFor?.end) key.validUntil = new Date(k.publicKey.validFor.end);
    return key;
  });
}

let bundledKeys: RegistryKey[] | undefined;

/** The npm public registry's keys bundled in rules/data/npm-registry-keys.json. */
export function bundledRegistryKeys(): RegistryKey[] {
  bundledKeys ??= parseRegistryKeys(readFileSync(`${defaultDataDir()}/npm-registry-keys.json`, 'utf8'));
  return bundledKeys;
}

export function isKeyValidAt(key: RegistryKey, when: Date): boolean {
  if (key.validFrom && when < key.validFrom) return false;
  if (key.validUntil && when > key.validUntil) return false;
  return true;
}

/**
 * Verify a version's `dist.signatures`. `publishedAt` selects the key window; without a trustworthy
 * publish time any window is accepted (the signature still has to verify).
 */
export function verifyRegistrySignatures(
  name: string,
  version: string,
  integrity: string | undefined,
  signatures: RegistrySignature[] | undefined,
  publishedAt: Date | undefined,
  keys: RegistryKey[] = bundledRegistryKeys(),
): SignatureVerdict {
  if (!signatures || signatures.length === 0) return { status: 'unavailable', reason: 'the registry served no signatures' };
  if (!integrity) return { status: 'invalid', reason: 'signatures present but no integrity to check them against' };
  const message = Buffer.from(`${name}@${version}:${integrity}`, 'utf8');
  const failures: string[] = [];
  for (const signature of signatures) {
    const candidates = keys.filter((k) => k.keyId === signature.keyid && k.usage === 'npm:signatures');
    if (candidates.length === 0) {
      failures.push(`unknown key ${signature.keyid}`);
      continue;
    }
    for (const key of candidates) {
      if (publishedAt && !isKeyValidAt(key, publishedAt)) {
        failures.push(`key ${key.keyId} was not valid at ${publishedAt.toISOString()}`);
        continue;
      }
      let ok = false;
      try {
        ok = verify('sha256', message, key.publicKey, Buffer.from(signature.sig, 'base64'));
      } catch {
        ok = false;
      }
      if (ok) return { status: 'verified', keyId: key.keyId };
      failures.push(`signature by ${key.keyId} does not match`);
    }
  }
  return { status: 'invalid', reason: failures.join('; ') };
}
