/**
 * Speed checks (edits per second, request latency, parse time) depend on the machine and
 * its load: they run only with CDP_TIMING_CHECKS=1 (the benchmark measures speed). The
 * default suite keeps generous hang guards only ("within 30 s", where a hang never ends).
 */
export const TIMING_CHECKS = process.env.CDP_TIMING_CHECKS === '1';
