// Supply-chain checks for configured servers (design §5): launch parsing, pinning, typosquats and
// registry overrides offline; existence, deprecation, install scripts, registry signatures, Sigstore
// provenance, publish age and drift against the lock online. Checks the registry cannot support are
// reported as unavailable in `notes`, never as passed.
import { createFinding } from '../findings/finding.js';
import type { Finding, JsonObject, PackageRef, PackageSource, ServerEntry } from '../model.js';
import type { ParsedLaunch } from './launch.js';
import type { AttestationFetcher, PackumentFetcher } from './registry.js';
import type { RegistrySignature } from './registry-signatures.js';
import {
  NON_DEFAULT_REGISTRY,
  PACKAGE_DEPRECATED,
  PACKAGE_INSTALL_SCRIPTS,
  PACKAGE_NOT_FOUND,
  PACKAGE_TYPOSQUAT,
  PACKAGE_VERSION_DRIFT,
  PACKAGE_VERY_NEW,
  PROVENANCE_INVALID,
  PROVENANCE_MISSING,
  PROVENANCE_REPOSITORY_MISMATCH,
  REGISTRY_SIGNATURE_INVALID,
  UNPINNED_PACKAGE,
} from './rules.js';
import type { TyposquatIndex, TyposquatMatch } from './typosquat.js';

// The CLI imports this module for supplyRuleMetas() on every start (even `--version`): the parsers,
// semver and crypto code load on the first checkSupplyChain() call instead.
type LaunchModule = typeof import('./launch.js');
type RegistryModule = typeof import('./registry.js');
let launch: LaunchModule;
let registry: RegistryModule;

async function loadModules(): Promise<void> {
  [launch, registry] = await Promise.all([import('./launch.js'), import('./registry.js')]);
}

export { supplyRuleMetas } from './rules.js';

export interface SupplyCheckOptions {
  offline: boolean;
  lock?: { sources: Record<string, PackageSource | undefined> };
  /** Packument source; defaults to the public npm registry. Throw an error with code `E404` for "no such package". */
  fetchPackument?: (name: string) => Promise<JsonObject>;
  /** Attestations document source (`dist.attestations.url`); defaults to the public npm registry. */
  fetchAttestations?: (url: string) => Promise<JsonObject>;
  now?: Date;
  /** Typosquat reference data; defaults to rules/data. */
  typosquatIndex?: TyposquatIndex;
  pypiTyposquatIndex?: TyposquatIndex;
}

export interface SupplyCheckResult {
  findings: Finding[];
  /** What each server's launch runs, by server name. */
  packages: Record<string, PackageRef>;
  /** The package source the lock will pin, by server name (only when an exact version is known). */
  resolved: Record<string, PackageSource>;
  notes: string[];
  /** Online, and the registry could not be reached: results are incomplete (CLI exit 3). */
  unreachable: boolean;
}

/** A version younger than this is "very new". */
const NEW_VERSION_DAYS = 3;
/** A package whose first release is younger than this is "very new". */
const NEW_PACKAGE_DAYS = 30;
const DAY_MS = 86_400_000;
const DEFAULT_REGISTRIES: Record<string, string[]> = {
  npm: ['registry.npmjs.org', 'registry.npmjs.com', 'registry.yarnpkg.com'],
  pypi: ['pypi.org', 'files.pythonhosted.org'],
};

export async function checkSupplyChain(entries: ServerEntry[], options: SupplyCheckOptions): Promise<SupplyCheckResult> {
  const result: SupplyCheckResult = { findings: [], packages: {}, resolved: {}, notes: [], unreachable: false };
  const notes = new Set<string>();
  await loadModules();
  const parsedByServer = new Map<string, ParsedLaunch>();
  for (const entry of entries) {
    const parsed = launch.parseLaunchDetailed(entry);
    parsedByServer.set(entry.name, parsed);
    result.packages[entry.name] = parsed.ref;
  }

  let index: TyposquatIndex | undefined = options.typosquatIndex;
  let pypiIndex: TyposquatIndex | undefined;
  for (const entry of entries) {
    const parsed = parsedByServer.get(entry.name)!;
    if (parsed.ref.ecosystem === 'npm' || parsed.extraPackages?.length) {
      index ??= (await import('./typosquat.js')).loadTyposquatIndex();
      checkTyposquats(entry, parsed, index, result.findings);
    } else if (parsed.ref.ecosystem === 'pypi' && parsed.ref.name) {
      const typosquat = await import('./typosquat.js');
      pypiIndex ??= options.pypiTyposquatIndex ?? typosquat.loadPypiTyposquatIndex();
      checkTyposquats(entry, { ...parsed, ref: { ...parsed.ref, name: typosquat.normalizePypiName(parsed.ref.name) } }, pypiIndex, result.findings, parsed.ref.name);
    }
    checkRegistryOverride(entry, parsed, result.findings);
    if (options.offline) {
      checkUnpinned(entry, parsed, undefined, result.findings);
      checkLockedExactVersion(entry, parsed, options, result.findings);
      const pinned = sourceFromExactPin(parsed.ref);
      if (pinned) result.resolved[entry.name] = pinned;
    }
  }

  if (options.offline) {
    if (entries.some((e) => ['npm', 'pypi', 'docker'].includes(parsedByServer.get(e.name)!.ref.ecosystem))) {
      notes.add('offline: registry checks skipped (existence, deprecation, install scripts, signatures, provenance, publish age; lock drift only for exact pins)');
    }
    result.notes = [...notes];
    return result;
  }

  const fetchPackument: PackumentFetcher = options.fetchPackument ?? registry.fetchPackumentFromRegistry;
  const fetchAttestations: AttestationFetcher = options.fetchAttestations ?? registry.fetchAttestationsFromRegistry;
  const packuments = new Map<string, Promise<JsonObject>>();
  const now = options.now ?? new Date();
  const context: OnlineContext = { fetchPackument, fetchAttestations, packuments, now, notes, options, result };
  await Promise.all(entries.map((entry) => checkOnline(entry, parsedByServer.get(entry.name)!, context)));
  // Registry answers arrive in any order; report in configuration order, as offline.
  const order = new Map(entries.map((e, i) => [e.name, i]));
  result.findings.sort((a, b) => (order.get(a.location.server) ?? 0) - (order.get(b.location.server) ?? 0));
  result.notes = [...notes];
  return result;
}

interface OnlineContext {
  fetchPackument: PackumentFetcher;
  fetchAttestations: AttestationFetcher;
  packuments: Map<string, Promise<JsonObject>>;
  now: Date;
  notes: Set<string>;
  options: SupplyCheckOptions;
  result: SupplyCheckResult;
}

function location(entry: ServerEntry, packageName: string | undefined): Finding['location'] {
  const loc: Finding['location'] = { server: entry.name };
  if (packageName) loc.package = packageName;
  const file = entry.sources[0]?.path;
  if (file) loc.configFile = file;
  return loc;
}

/**
 * The launch as evidence, cut after the package spec: what follows is the server's own arguments
 * (tokens, paths, hosts), and container options before the image carry `-e NAME=value` secrets.
 */
function commandLineOf(parsed: ParsedLaunch): string {
  return displayLaunch(parsed.argv, parsed.specIndex, parsed.ref.ecosystem);
}

function displayLaunch(argv: string[], specIndex: number | undefined, ecosystem: PackageRef['ecosystem']): string {
  const format = launch.formatCommandLine;
  if (specIndex === undefined) return format(argv.slice(0, 2)) + (argv.length > 2 ? ' …' : '');
  const text = ecosystem === 'docker' ? `${format(argv.slice(0, 2))} … ${format([argv[specIndex]!])}` : format(argv.slice(0, specIndex + 1));
  return specIndex < argv.length - 1 ? `${text} …` : text;
}

// ── offline checks ──────────────────────────────────────────────────────────

function checkTyposquats(entry: ServerEntry, parsed: ParsedLaunch, index: TyposquatIndex, findings: Finding[], writtenName?: string): void {
  const names = new Set<string>();
  if ((parsed.ref.ecosystem === 'npm' || parsed.ref.ecosystem === 'pypi') && parsed.ref.name) names.add(parsed.ref.name);
  for (const extra of parsed.extraPackages ?? []) {
    const at = extra.indexOf('@', extra.startsWith('@') ? 1 : 0);
    names.add(at > 0 ? extra.slice(0, at) : extra);
  }
  for (const name of names) {
    const match = index.check(name);
    if (!match) continue;
    findings.push(
      createFinding(PACKAGE_TYPOSQUAT, {
        location: location(entry, writtenName ?? name),
        message: `${entry.name} launches "${writtenName ?? name}", which looks like ${describeTarget(match)} (${match.technique.replace(/-/g, ' ')})`,
        severity: typosquatSeverity(match),
        confidence: match.confidence,
        evidence: commandLineOf(parsed),
        discriminator: `${name}→${match.target}`,
        tip: isScopeTarget(match)
          ? `Check the name against the vendor's documentation; the vendor publishes under ${match.target}/.`
          : `Check the name against the vendor's documentation; the package imitated is probably "${match.target}".`,
      }),
    );
  }
}

function isScopeTarget(match: TyposquatMatch): boolean {
  return match.target.startsWith('@') && !match.target.includes('/');
}

function describeTarget(match: TyposquatMatch): string {
  if (isScopeTarget(match)) return `the official scope ${match.target}`;
  const what = `"${match.target}"`;
  if (match.targetDownloads) return `${what} (${formatDownloads(match.targetDownloads)} downloads a month)`;
  if (match.targetRank) return `"${match.target}" (PyPI's #${match.targetRank} most downloaded project)`;
  return match.official ? `${what}, a known MCP package` : what;
}

function formatDownloads(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}k`;
  return String(n);
}

function typosquatSeverity(match: TyposquatMatch): Finding['severity'] {
  if (match.confidence === 'low') return 'medium';
  if (match.official && match.confidence === 'high') return 'critical';
  return 'high';
}

function checkRegistryOverride(entry: ServerEntry, parsed: ParsedLaunch, findings: Finding[]): void {
  const { ref } = parsed;
  if (!ref.registry) return;
  let host = '';
  let protocol = '';
  try {
    const url = new URL(ref.registry);
    host = url.hostname.toLowerCase();
    protocol = url.protocol;
  } catch {
    host = ref.registry;
  }
  const defaults = DEFAULT_REGISTRIES[ref.ecosystem] ?? [];
  const isPlainHttp = protocol === 'http:';
  if (defaults.includes(host) && !isPlainHttp) return;
  findings.push(
    createFinding(NON_DEFAULT_REGISTRY, {
      location: location(entry, ref.name),
      message: `${entry.name} fetches ${ref.name ?? 'its package'} from ${ref.registry}${isPlainHttp ? ' over plain HTTP' : ''} instead of the default registry`,
      severity: isPlainHttp ? 'high' : 'medium',
      evidence: commandLineOf(parsed),
      discriminator: ref.registry,
    }),
  );
}

type PinState = { kind: 'pinned' } | { kind: 'floating'; severity: 'low' | 'medium'; what: string };

function pinState(ref: PackageRef): PinState | undefined {
  if (ref.ecosystem === 'npm' || ref.ecosystem === 'pypi') {
    if (!ref.name) return undefined;
    if (ref.exactVersion) return { kind: 'pinned' };
    if (ref.spec === undefined || ref.spec === '') return { kind: 'floating', severity: 'medium', what: 'no version' };
    if (ref.ecosystem === 'npm' && /^[a-z][\w.-]*$/i.test(ref.spec) && !/^v?\d/.test(ref.spec)) return { kind: 'floating', severity: 'medium', what: `the "${ref.spec}" tag` };
    if (ref.spec === 'latest') return { kind: 'floating', severity: 'medium', what: 'the "latest" tag' };
    return { kind: 'floating', severity: 'low', what: `the range "${ref.spec}"` };
  }
  if (ref.ecosystem === 'docker') {
    if (!ref.name) return undefined;
    if (ref.exactVersion) return { kind: 'pinned' };
    if (ref.spec === undefined || ref.spec === 'latest') return { kind: 'floating', severity: 'medium', what: ref.spec ? 'the "latest" tag' : 'no tag' };
    return { kind: 'floating', severity: 'low', what: `the tag "${ref.spec}" without a digest` };
  }
  if (ref.ecosystem === 'unknown' && ref.name && /^(npx|npm exec|pnpm dlx|yarn dlx|bunx|uvx|uv tool run|pipx run)$/.test(ref.launcher)) {
    // git and tarball specs: a branch or URL whose contents can change under the same spec.
    if (/[/:]/.test(ref.name) && !ref.exactVersion) return { kind: 'floating', severity: 'medium', what: 'a git or URL source without a commit hash' };
  }
  return undefined;
}

function checkUnpinned(entry: ServerEntry, parsed: ParsedLaunch, resolvedVersion: string | undefined, findings: Finding[]): void {
  const state = pinState(parsed.ref);
  if (!state || state.kind === 'pinned') return;
  const { ref } = parsed;
  const placeholder = ref.ecosystem === 'docker' ? 'sha256:DIGEST' : 'VERSION';
  const pinned = launch.pinnedArgv(parsed, resolvedVersion ?? placeholder);
  // pinnedArgv may add `-y` in front of the spec.
  const pinnedSpecIndex = pinned && parsed.specIndex !== undefined ? parsed.specIndex + pinned.length - parsed.argv.length : undefined;
  const tip = pinned
    ? `Pin it${resolvedVersion ? ` to the version the registry serves now` : ''}: ${displayLaunch(pinned, pinnedSpecIndex, ref.ecosystem)}`
    : 'Pin an exact version (or a commit hash / image digest) in the client config.';
  findings.push(
    createFinding(UNPINNED_PACKAGE, {
      location: location(entry, ref.name),
      message: `${entry.name} runs ${ref.name ?? 'its package'} with ${state.what}: every start may fetch a different release`,
      severity: state.severity,
      evidence: commandLineOf(parsed),
      tip,
      discriminator: ref.name ?? '',
    }),
  );
}

function sourceFromExactPin(ref: PackageRef): PackageSource | undefined {
  if (!ref.name || !ref.exactVersion || (ref.ecosystem !== 'npm' && ref.ecosystem !== 'pypi' && ref.ecosystem !== 'docker')) return undefined;
  return { ecosystem: ref.ecosystem, name: ref.name, version: ref.exactVersion, provenance: { status: 'unavailable' } };
}

function checkLockedExactVersion(entry: ServerEntry, parsed: ParsedLaunch, options: SupplyCheckOptions, findings: Finding[]): void {
  const locked = options.lock?.sources[entry.name];
  const { ref } = parsed;
  if (!locked || !ref.name || !ref.exactVersion) return;
  if (locked.ecosystem === ref.ecosystem && locked.name === ref.name && locked.version === ref.exactVersion) return;
  findings.push(versionDriftFinding(entry, parsed, locked, `${ref.name}@${ref.exactVersion}`));
}

function versionDriftFinding(entry: ServerEntry, parsed: ParsedLaunch, locked: PackageSource, now: string, detail?: string): Finding {
  return createFinding(PACKAGE_VERSION_DRIFT, {
    location: location(entry, parsed.ref.name),
    message: detail ?? `${entry.name} would run ${now}, but mcp.lock pins ${locked.name}@${locked.version}`,
    evidence: commandLineOf(parsed),
    discriminator: `${locked.name}@${locked.version}→${now}`,
  });
}

// ── online checks ───────────────────────────────────────────────────────────

function packumentFor(name: string, context: OnlineContext): Promise<JsonObject> {
  let pending = context.packuments.get(name);
  if (!pending) {
    pending = context.fetchPackument(name);
    context.packuments.set(name, pending);
  }
  return pending;
}

async function checkOnline(entry: ServerEntry, parsed: ParsedLaunch, context: OnlineContext): Promise<void> {
  const { ref } = parsed;
  const { result, notes } = context;
  if (ref.ecosystem === 'pypi' || ref.ecosystem === 'docker') {
    checkUnpinned(entry, parsed, undefined, result.findings);
    checkLockedExactVersion(entry, parsed, context.options, result.findings);
    const pinned = sourceFromExactPin(ref);
    if (pinned) result.resolved[entry.name] = pinned;
    notes.add(`${ref.ecosystem === 'pypi' ? 'PyPI' : 'container'} packages: registry checks (existence, signatures, provenance) are not implemented; pinning and lock checks only`);
    return;
  }
  if (ref.ecosystem !== 'npm' || !ref.name) {
    checkUnpinned(entry, parsed, undefined, result.findings);
    return;
  }
  const name = ref.name;
  let packument: JsonObject;
  try {
    packument = await packumentFor(name, context);
  } catch (error) {
    if (registry.isNotFound(error)) {
      result.findings.push(
        createFinding(PACKAGE_NOT_FOUND, {
          location: location(entry, name),
          message: name.startsWith('@')
            ? `${entry.name} launches "${name}", which the public npm registry does not have (a private package, or a name whose scope owner has not published it)`
            : `${entry.name} launches "${name}", which does not exist on the npm registry: anyone could publish it`,
          evidence: commandLineOf(parsed),
          discriminator: name,
        }),
      );
      return;
    }
    result.unreachable = true;
    notes.add(`registry unreachable: ${error instanceof Error ? error.message : String(error)}; supply-chain checks are incomplete`);
    // Everything --offline checks still applies: an exact pin that differs from the lock is drift
    // whether or not the registry answers.
    checkUnpinned(entry, parsed, undefined, result.findings);
    checkLockedExactVersion(entry, parsed, context.options, result.findings);
    return;
  }

  const version = registry.resolveVersion(packument, ref.exactVersion ?? ref.spec);
  if (!version) {
    result.findings.push(
      createFinding(PACKAGE_NOT_FOUND, {
        location: location(entry, name),
        message: `${entry.name} asks for ${name}@${ref.spec ?? 'latest'}, which the registry does not have`,
        evidence: commandLineOf(parsed),
        discriminator: `${name}@${ref.spec ?? ''}`,
      }),
    );
    return;
  }
  checkUnpinned(entry, parsed, version, result.findings);
  const manifest = registry.asObject(registry.asObject(packument.versions)?.[version]) ?? {};
  const dist = registry.asObject(manifest.dist) ?? {};
  const integrity = typeof dist.integrity === 'string' ? dist.integrity : undefined;
  const capabilities = registry.registryCapabilities(packument);
  const spec = `${name}@${version}`;

  if (typeof manifest.deprecated === 'string' && manifest.deprecated !== '') {
    result.findings.push(
      createFinding(PACKAGE_DEPRECATED, {
        location: location(entry, name),
        message: `${spec} is deprecated: ${manifest.deprecated}`,
        discriminator: spec,
      }),
    );
  }

  const scripts = registry.installScripts(manifest);
  if (scripts.length > 0) {
    result.findings.push(
      createFinding(PACKAGE_INSTALL_SCRIPTS, {
        location: location(entry, name),
        message: `${spec} runs ${scripts.join(', ')} script${scripts.length > 1 ? 's' : ''} when npx installs it`,
        evidence: scripts.map((s) => `${s}: ${String(registry.asObject(manifest.scripts)?.[s] ?? '')}`).join('; '),
        discriminator: spec,
      }),
    );
  }

  const publishedAt = capabilities.publishTimes ? registry.publishTime(packument, version) : undefined;
  const signatures = Array.isArray(dist.signatures) ? (dist.signatures as unknown as RegistrySignature[]) : undefined;
  const { verifyRegistrySignatures } = await import('./registry-signatures.js');
  const signature = verifyRegistrySignatures(name, version, integrity, signatures, publishedAt);
  if (signature.status === 'invalid') {
    result.findings.push(
      createFinding(REGISTRY_SIGNATURE_INVALID, {
        location: location(entry, name),
        message: `The registry signature of ${spec} does not verify: ${signature.reason}`,
        discriminator: spec,
      }),
    );
  } else if (signature.status === 'unavailable') {
    notes.add('registry signatures unavailable: the registry served none, so they were not verified');
  }

  const provenance = await checkProvenance(entry, parsed, spec, version, manifest, dist, integrity, capabilities.signatures, context);

  if (capabilities.publishTimes) {
    checkAge(entry, parsed, packument, version, context);
  } else {
    notes.add('publish age unavailable: the registry served no trustworthy publish times');
  }

  const locked = context.options.lock?.sources[entry.name];
  if (locked) {
    if (locked.ecosystem !== 'npm' || locked.name !== name || locked.version !== version) {
      result.findings.push(versionDriftFinding(entry, parsed, locked, spec));
    } else if (locked.integrity && integrity && locked.integrity !== integrity) {
      result.findings.push(
        versionDriftFinding(entry, parsed, locked, `${spec} (integrity ${integrity.slice(0, 19)}…)`, `The registry now serves different contents for the locked ${spec}: integrity ${integrity.slice(0, 19)}… instead of ${locked.integrity.slice(0, 19)}…`),
      );
    }
  }

  const source: PackageSource = { ecosystem: 'npm', name, version, provenance };
  if (integrity) source.integrity = integrity;
  result.resolved[entry.name] = source;
}

async function checkProvenance(
  entry: ServerEntry,
  parsed: ParsedLaunch,
  spec: string,
  version: string,
  manifest: JsonObject,
  dist: JsonObject,
  integrity: string | undefined,
  fullMetadata: boolean,
  context: OnlineContext,
): Promise<NonNullable<PackageSource['provenance']>> {
  const { result, notes } = context;
  const name = parsed.ref.name ?? '';
  const attestations = registry.asObject(dist.attestations);
  const url = typeof attestations?.url === 'string' ? attestations.url : undefined;
  if (!url) {
    if (!fullMetadata) {
      notes.add('provenance unavailable: the registry served no attestation metadata, so provenance was not checked');
      return { status: 'unavailable' };
    }
    result.findings.push(
      createFinding(PROVENANCE_MISSING, {
        location: location(entry, name),
        message: `${spec} was published without provenance: nothing links it to a source repository or CI build`,
        discriminator: spec,
      }),
    );
    return { status: 'missing' };
  }
  let document: JsonObject;
  try {
    document = await context.fetchAttestations(url);
  } catch (error) {
    notes.add(`provenance unavailable: the attestations of ${spec} could not be fetched (${registry.isNotFound(error) ? 'not found' : error instanceof Error ? error.message : String(error)})`);
    return { status: 'unavailable' };
  }
  const { verifyNpmAttestations, normalizeRepository, manifestRepository } = await import('./provenance.js');
  const verdict = verifyNpmAttestations(name, version, integrity, document);
  if (verdict.status === 'invalid') {
    result.findings.push(
      createFinding(PROVENANCE_INVALID, {
        location: location(entry, name),
        message: `The provenance attestation of ${spec} does not verify: ${verdict.reason ?? 'unknown reason'}`,
        discriminator: spec,
      }),
    );
    return { status: 'invalid' };
  }
  if (verdict.status === 'missing') {
    result.findings.push(
      createFinding(PROVENANCE_MISSING, {
        location: location(entry, name),
        message: `${spec} has attestations but no build provenance: ${verdict.reason ?? ''}`,
        discriminator: spec,
      }),
    );
    return { status: 'missing' };
  }
  const claimed = manifestRepository(manifest);
  if (verdict.status === 'verified' && verdict.repository && claimed && normalizeRepository(claimed) !== normalizeRepository(verdict.repository)) {
    result.findings.push(
      createFinding(PROVENANCE_REPOSITORY_MISMATCH, {
        location: location(entry, name),
        message: `${spec} was built from ${verdict.repository} but its package.json claims ${claimed}`,
        discriminator: `${spec}:${normalizeRepository(verdict.repository)}`,
      }),
    );
  }
  const out: NonNullable<PackageSource['provenance']> = { status: verdict.status };
  if (verdict.repository) out.repository = verdict.repository;
  return out;
}

function checkAge(entry: ServerEntry, parsed: ParsedLaunch, packument: JsonObject, version: string, context: OnlineContext): void {
  const name = parsed.ref.name ?? '';
  const now = context.now.getTime();
  const created = registry.createdTime(packument);
  const published = registry.publishTime(packument, version);
  const days = (t: Date): number => Math.max(0, Math.floor((now - t.getTime()) / DAY_MS));
  if (created && now - created.getTime() < NEW_PACKAGE_DAYS * DAY_MS) {
    context.result.findings.push(
      createFinding(PACKAGE_VERY_NEW, {
        location: location(entry, name),
        message: `${name} first appeared on the registry ${days(created)} day(s) ago (${created.toISOString().slice(0, 10)})`,
        discriminator: `${name}:created`,
      }),
    );
  } else if (published && now - published.getTime() < NEW_VERSION_DAYS * DAY_MS) {
    context.result.findings.push(
      createFinding(PACKAGE_VERY_NEW, {
        location: location(entry, name),
        message: `${name}@${version} was published ${days(published)} day(s) ago (${published.toISOString().slice(0, 10)})`,
        discriminator: `${name}@${version}`,
      }),
    );
  }
}
