/**
 * The board conformance suite: `runConformance(transport, { timer, timeBase }, onProgress)` runs every
 * check of PROTOCOL.md's board behaviour over a byte stream and returns one result per check.
 */
export { runConformance, CHECKS, CHECK_IDS } from './runConformance.ts';
export { watchdogTrips } from './checks/watchdog.ts';
export { reportFile, reportFileName, reportHtml, verdictWords, type ReportContext, type ReportFile } from './reportDocument.ts';
export {
  realTolerances,
  virtualTolerances,
  ConformanceStopped,
  type CheckResult,
  type ConformanceOptions,
  type ConformanceProgress,
  type ConformanceReport,
  type ConformanceTimer,
  type ConformanceTolerances,
} from './types.ts';
