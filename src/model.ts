// The data that flows through mcp-guard (design §2):
//   client configs ─discover→ ServerEntry[] ─connect/list→ ServerSnapshot[] ─checks→ Finding[]
// Every module speaks these types; none of them print or exit.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Identifiers of the MCP clients whose configs we know how to find and read. */
export type ClientId =
  | 'claude-desktop'
  | 'claude-code'
  | 'cursor'
  | 'vscode'
  | 'copilot-cli'
  | 'windsurf'
  | 'gemini-cli'
  | 'codex'
  | 'kiro'
  | 'amazon-q'
  | 'opencode'
  | 'zed'
  | 'cline'
  /** A file given with --config whose format was detected from its keys. */
  | 'generic';

export type ConfigScope = 'user' | 'project' | 'managed' | 'explicit';

export type Transport = 'stdio' | 'http' | 'sse';

/** Where a server entry was read from. */
export interface ConfigSource {
  client: ClientId;
  path: string;
  scope: ConfigScope;
  /** JSON path (or TOML table) of the entry inside the file, e.g. `mcpServers.notes`. */
  pointer: string;
}

/**
 * One configured server, normalised across clients.
 * `env` and `headers` values may be secrets: they are used to launch/connect and never persisted
 * (the lock keeps names only) nor printed.
 */
export interface ServerEntry {
  /** Unique key used by the lock, the CLI (--server) and reports. Usually the config name. */
  name: string;
  transport: Transport;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  /** The client marks it disabled; we still report on it but do not connect unless asked. */
  disabled?: boolean;
  /** Every config location that defines this same server (identical launch). */
  sources: ConfigSource[];
  /** Placeholders (`${input:x}`, `${env:X}`) the client would resolve and we could not. */
  unresolvedPlaceholders?: string[];
  /** The config launches this server behind `mcp-guard proxy`; command/url here are the server's own. */
  viaProxy?: boolean;
}

/** A config file that discovery looked at. */
export interface ConfigFileReport {
  client: ClientId;
  path: string;
  scope: ConfigScope;
  status: 'read' | 'not-found' | 'no-servers';
  serverCount: number;
}

export interface DiscoveryResult {
  files: ConfigFileReport[];
  servers: ServerEntry[];
}

/** What we learnt by connecting to a server and listing everything. All entities are raw wire JSON. */
export interface ServerSnapshot {
  server: string;
  protocolVersion: string;
  serverInfo: JsonObject;
  serverCapabilities: JsonObject;
  /** Capabilities we declared while listing; tool sets depend on them (facts.md). */
  clientCapabilities: JsonObject;
  instructions?: string;
  tools: JsonObject[];
  prompts: JsonObject[];
  resources: JsonObject[];
  resourceTemplates: JsonObject[];
  /** Non-fatal oddities met while listing (e.g. a list method the server does not implement). */
  notes: string[];
}

export type ListOutcome =
  | { server: string; ok: true; snapshot: ServerSnapshot; durationMs: number }
  | { server: string; ok: false; error: ListFailure; durationMs: number };

export interface ListFailure {
  code:
    | 'spawn-failed'
    | 'exited'
    | 'timeout'
    | 'auth-required'
    | 'protocol-error'
    | 'too-large'
    | 'cursor-cycle'
    | 'connect-failed';
  message: string;
}

export type EntityKind = 'tool' | 'prompt' | 'resource' | 'resourceTemplate';

// ── Findings ────────────────────────────────────────────────────────────────

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export type FindingCategory =
  | 'poisoning'
  | 'hidden-text'
  | 'shadowing'
  | 'exfiltration'
  | 'annotation'
  | 'supply-chain'
  | 'drift'
  | 'config'
  | 'connection';

export interface FindingLocation {
  server: string;
  tool?: string;
  prompt?: string;
  resource?: string;
  package?: string;
  /** JSON path into the entity, e.g. `description` or `inputSchema.properties.path.description`. */
  field?: string;
  /** The config file the server came from, when the finding is about configuration. */
  configFile?: string;
}

export interface Finding {
  ruleId: string;
  category: FindingCategory;
  severity: Severity;
  confidence: Confidence;
  message: string;
  location: FindingLocation;
  /** Stable across runs for the same problem in the same place (SARIF partialFingerprints). */
  fingerprint: string;
  /** The offending span, escaped so it is safe to print (never raw control characters). */
  evidence?: string;
  tip?: string;
  docsUrl?: string;
}

// ── Lock and drift ──────────────────────────────────────────────────────────

export type DriftSeverity = 'blocking' | 'informational';

/** One reason an entity differs from the lock. */
export interface DriftReason {
  /** Path of the changed field, e.g. `description`, `inputSchema.properties.mode.enum`. */
  field: string;
  /**
   * What kind of change: `text-changed`, `added`, `removed`, `schema-widened`, `schema-narrowed`,
   * `annotation-widened`, `annotation-narrowed`, `renamed`, `look-alike-name`, `full-only`, …
   */
  kind: string;
  blocking: boolean;
  /** Human detail, e.g. `readOnlyHint true → false` or `new property "cc"`. Never contains secrets. */
  detail: string;
  before?: JsonValue;
  after?: JsonValue;
}

export interface DriftItem {
  server: string;
  /** `server` covers instructions, serverInfo and the server's own presence. */
  entity: EntityKind | 'instructions' | 'server';
  /** Entity name (tool/prompt name, resource URI); empty for server-level items. */
  name: string;
  change: 'added' | 'removed' | 'changed' | 'renamed';
  severity: DriftSeverity;
  reasons: DriftReason[];
  /** For renames: the locked name this one replaces. */
  previousName?: string;
}

// ── Supply chain ────────────────────────────────────────────────────────────

export type Ecosystem = 'npm' | 'pypi' | 'docker' | 'local' | 'unknown';

/** What a launch command says it runs (parsed from command + args; see src/supply/launch.ts). */
export interface PackageRef {
  ecosystem: Ecosystem;
  /** The launcher recognised: `npx`, `npm exec`, `uvx`, `docker run`, `node`, … */
  launcher: string;
  /** Package or image name (npm name with scope, PyPI project, image repository). */
  name?: string;
  /** The version spec as written (`1.2.3`, `^1`, `latest`, image tag), if any. */
  spec?: string;
  /** Set only when the spec pins one exact version (or an image digest). */
  exactVersion?: string;
  /** Image digest `sha256:…` for containers. */
  digest?: string;
  /** A registry override found in args or env; any non-default registry is itself a finding. */
  registry?: string;
  /** For local scripts: the path run. */
  path?: string;
}

export type ProvenanceStatus = 'verified' | 'missing' | 'invalid' | 'unavailable' | 'not-applicable';

/** The package a server was locked at: stored in mcp.lock. */
export interface PackageSource {
  ecosystem: Ecosystem;
  name: string;
  /** Exact resolved version (or image digest). */
  version: string;
  /** `sha512-…` SRI from the registry, when known. */
  integrity?: string;
  provenance?: {
    status: ProvenanceStatus;
    /** Source repository the attestation names, when verified. */
    repository?: string;
  };
}

// ── Scan report: what reporters turn into text ──────────────────────────────

export interface ServerReport {
  name: string;
  transport: Transport;
  sources: ConfigSource[];
  status: 'listed' | 'failed' | 'not-connected' | 'static' | 'disabled';
  error?: ListFailure;
  counts?: { tools: number; prompts: number; resources: number; resourceTemplates: number };
  serverInfo?: JsonObject;
  package?: PackageRef;
  durationMs?: number;
}

export interface ScanSummary {
  servers: number;
  serversListed: number;
  serversFailed: number;
  findings: Record<Severity, number>;
  driftBlocking: number;
  driftInformational: number;
  /** The exit code the CLI will use, so JSON consumers need not recompute it. */
  exitCode: number;
}

export interface ScanReport {
  version: 1;
  tool: { name: 'mcp-guard'; version: string };
  files: ConfigFileReport[];
  servers: ServerReport[];
  findings: Finding[];
  drift: DriftItem[];
  /** Things the user must know about coverage, e.g. "offline: registry checks skipped". */
  notes: string[];
  summary: ScanSummary;
}
