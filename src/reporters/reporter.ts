import type { RuleMeta } from '../findings/finding.js';
import type { ScanReport } from '../model.js';

/** What a reporter may know besides the report itself: deliberately small (house style: no options bag). */
export interface ReporterContext {
  color: boolean;
  /** Metadata of every known rule; a finding may name a rule missing here (e.g. a newer rule). */
  rules: ReadonlyMap<string, RuleMeta>;
  /** Paths in the output are shown relative to this directory when they lie inside it. */
  cwd: string;
}

/** Pure: the same report and context always give the same text; never writes, never exits. */
export type Reporter = (report: ScanReport, ctx: ReporterContext) => string;
