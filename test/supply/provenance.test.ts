import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model.js';
import { normalizeRepository, npmPurl, repositoryFromIdentity, verifyNpmAttestations } from '../../src/supply/provenance.js';
import { readFixture } from './recorded-registry.js';

const NAME = '@playwright/cli';
const VERSION = '0.1.1';
const INTEGRITY = 'sha512-9k11ZfDwAfMVDDIuEVW1Wvs8SoDNXIY1dNQ+9C9/SS8ZmElkcxesu5eoL7vNa96ntibUGaq1TM2qQoqvdl/I9g==';

function document(): JsonObject {
  return readFixture('attestations/playwright-cli-0.1.1.json');
}

type Attestation = { predicateType: string; bundle: { dsseEnvelope: { payload: string; signatures: Array<{ sig: string }> }; verificationMaterial: { tlogEntries: Array<{ inclusionProof: { hashes: string[] } }> } } };

function attestations(doc: JsonObject): Attestation[] {
  return doc.attestations as unknown as Attestation[];
}

function flipBase64(value: string, at: number): string {
  const chars = value.split('');
  chars[at] = chars[at] === 'A' ? 'B' : 'A';
  return chars.join('');
}

describe('verifyNpmAttestations (real @playwright/cli@0.1.1 bundles, bundled trusted root)', () => {
  it('verifies both bundles and reads the repository from the Fulcio certificate', () => {
    expect(verifyNpmAttestations(NAME, VERSION, INTEGRITY, document())).toEqual({
      status: 'verified',
      repository: 'https://github.com/microsoft/playwright-cli',
    });
  });

  it('rejects a tampered provenance signature', () => {
    const doc = document();
    const provenance = attestations(doc)[1]!;
    provenance.bundle.dsseEnvelope.signatures[0]!.sig = flipBase64(provenance.bundle.dsseEnvelope.signatures[0]!.sig, 20);
    const verdict = verifyNpmAttestations(NAME, VERSION, INTEGRITY, doc);
    expect(verdict.status).toBe('invalid');
    expect(verdict.reason).toContain('https://slsa.dev/provenance/v1');
  });

  it('rejects a tampered publish attestation (registry key signature)', () => {
    const doc = document();
    const publish = attestations(doc)[0]!;
    publish.bundle.dsseEnvelope.signatures[0]!.sig = flipBase64(publish.bundle.dsseEnvelope.signatures[0]!.sig, 30);
    expect(verifyNpmAttestations(NAME, VERSION, INTEGRITY, doc).status).toBe('invalid');
  });

  it('rejects a changed payload (the statement no longer matches its signature)', () => {
    const doc = document();
    const provenance = attestations(doc)[1]!;
    const statement = JSON.parse(Buffer.from(provenance.bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as { subject: Array<{ name: string }> };
    statement.subject[0]!.name = 'pkg:npm/%40evil/cli@0.1.1';
    provenance.bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    expect(verifyNpmAttestations(NAME, VERSION, INTEGRITY, doc).status).toBe('invalid');
  });

  it('rejects a broken transparency-log inclusion proof', () => {
    const doc = document();
    const entry = attestations(doc)[1]!.bundle.verificationMaterial.tlogEntries[0]!;
    // The root hash field itself is redundant (the signed checkpoint carries it); a proof step is not.
    entry.inclusionProof.hashes[3] = flipBase64(entry.inclusionProof.hashes[3]!, 5);
    expect(verifyNpmAttestations(NAME, VERSION, INTEGRITY, doc).status).toBe('invalid');
  });

  it('rejects genuine attestations presented for another package, version or tarball', () => {
    expect(verifyNpmAttestations('@playwrite/cli', VERSION, INTEGRITY, document())).toMatchObject({ status: 'invalid', reason: expect.stringContaining('not pkg:npm/%40playwrite/cli@0.1.1') });
    expect(verifyNpmAttestations(NAME, '0.1.2', INTEGRITY, document()).status).toBe('invalid');
    const otherIntegrity = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    expect(verifyNpmAttestations(NAME, VERSION, otherIntegrity, document())).toMatchObject({ status: 'invalid', reason: expect.stringContaining('digest differs') });
  });

  it('says missing when there is no SLSA provenance among the attestations', () => {
    const doc = document();
    doc.attestations = [attestations(doc)[0]!] as unknown as JsonObject[];
    expect(verifyNpmAttestations(NAME, VERSION, INTEGRITY, doc).status).toBe('missing');
    expect(verifyNpmAttestations(NAME, VERSION, INTEGRITY, { attestations: [] }).status).toBe('missing');
  });

  it('rejects an attestation without a bundle', () => {
    expect(verifyNpmAttestations(NAME, VERSION, INTEGRITY, { attestations: [{ predicateType: 'https://slsa.dev/provenance/v1' }] }).status).toBe('invalid');
  });
});

describe('provenance helpers', () => {
  it('writes npm purls with an encoded scope', () => {
    expect(npmPurl('@playwright/cli', '0.1.1')).toBe('pkg:npm/%40playwright/cli@0.1.1');
    expect(npmPurl('left-pad', '1.0.0')).toBe('pkg:npm/left-pad@1.0.0');
  });

  it('reads GitHub and GitLab workflow identities', () => {
    expect(repositoryFromIdentity('https://github.com/microsoft/playwright-cli/.github/workflows/publish.yml@refs/tags/v0.1.1')).toBe('https://github.com/microsoft/playwright-cli');
    expect(repositoryFromIdentity('https://gitlab.com/group/sub/project//.gitlab-ci.yml@refs/heads/main')).toBe('https://gitlab.com/group/sub/project');
    expect(repositoryFromIdentity('someone@example.com')).toBeUndefined();
  });

  it.each([
    ['git+https://github.com/Microsoft/playwright-cli.git', 'github.com/microsoft/playwright-cli'],
    ['git@github.com:microsoft/playwright-cli.git', 'github.com/microsoft/playwright-cli'],
    ['github:microsoft/playwright-cli', 'github.com/microsoft/playwright-cli'],
    ['microsoft/playwright-cli', 'github.com/microsoft/playwright-cli'],
    ['https://github.com/microsoft/playwright-cli/', 'github.com/microsoft/playwright-cli'],
    ['git://github.com/microsoft/playwright-cli.git#main', 'github.com/microsoft/playwright-cli'],
  ])('normalizes %s', (input, expected) => {
    expect(normalizeRepository(input)).toBe(expected);
  });
});
