import { getReporter, REPORTER_NAMES, shouldUseColor } from '../../reporters/index.js';
import { installInterruptCleanup } from '../../mcp/child-process.js';
import { buildScanReport, runScan } from '../../scan/run-scan.js';
import { parseChoice, parseCommandArgs, parsePositiveInt, parseSeverity } from '../args.js';
import { allRuleMetas, DEFAULT_LOCK_FILE, defaultIgnoreFile, discoveryEnvFor, resolveFrom } from '../context.js';
import type { CliIo } from '../io.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export async function scanCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('scan', args, {
    config: { type: 'string', multiple: true },
    lock: { type: 'string' },
    format: { type: 'string' },
    'fail-on': { type: 'string' },
    offline: { type: 'boolean' },
    'no-connect': { type: 'boolean' },
    static: { type: 'string' },
    timeout: { type: 'string' },
    server: { type: 'string', multiple: true },
    'ignore-file': { type: 'string' },
  });
  const format = parseChoice('--format', values.format, REPORTER_NAMES, 'human');
  const failOn = parseSeverity('--fail-on', values['fail-on'], 'high');
  const timeoutMs = parsePositiveInt('--timeout', values.timeout, DEFAULT_TIMEOUT_MS);

  installInterruptCleanup();
  const ignorePath = values['ignore-file'] ? resolveFrom(io, values['ignore-file']) : defaultIgnoreFile(io);
  const result = await runScan({
    discoveryEnv: discoveryEnvFor(io),
    configPaths: (values.config ?? []).map((path) => resolveFrom(io, path)),
    lockPath: resolveFrom(io, values.lock ?? DEFAULT_LOCK_FILE),
    ...(values.static ? { staticPath: resolveFrom(io, values.static) } : {}),
    connect: !values['no-connect'],
    offline: values.offline ?? false,
    timeoutMs,
    serverNames: values.server ?? [],
    ...(ignorePath ? { ignorePath } : {}),
  });
  const report = buildScanReport(result, failOn);
  const reporter = getReporter(format)!;
  io.stdout.write(
    reporter(report, {
      color: shouldUseColor(io.env, io.stdout.isTTY),
      rules: allRuleMetas(),
      cwd: io.cwd,
    }),
  );
  return report.summary.exitCode;
}
