// Reporters looked up by name (house style: knip, osv-scanner). Each is a pure (report, ctx) → string.
import { githubReporter } from './github.js';
import { humanReporter } from './human.js';
import { jsonReporter } from './json.js';
import type { Reporter } from './reporter.js';
import { sarifReporter } from './sarif.js';

export type { Reporter, ReporterContext } from './reporter.js';
export { shouldUseColor } from './color.js';

export const REPORTER_NAMES = ['human', 'json', 'sarif', 'github'] as const;
export type ReporterName = (typeof REPORTER_NAMES)[number];

const REPORTERS: Readonly<Record<ReporterName, Reporter>> = {
  human: humanReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
};

export function isReporterName(name: string): name is ReporterName {
  return (REPORTER_NAMES as readonly string[]).includes(name);
}

export function getReporter(name: string): Reporter | undefined {
  return isReporterName(name) ? REPORTERS[name] : undefined;
}
