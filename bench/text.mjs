// Shared pieces of the benchmark's workspace generators (bench/generate.mjs and the
// shape modules beside it): the seeded PRNG, the vocabulary (written for this benchmark)
// and the sentence, checklist and slug helpers. Everything derives from the PRNG, so the
// same seed always gives the same text.

// ---------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32) and helpers.

export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (arr) => arr[Math.floor(next() * arr.length)];
  const chance = (p) => next() < p;
  const sample = (arr, n) => {
    const copy = arr.slice();
    const out = [];
    while (out.length < n && copy.length) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
    return out;
  };
  return { next, int, pick, chance, sample };
}

// ---------------------------------------------------------------------------------------
// Vocabulary (written for this benchmark).

export const PHASES = [
  { file: '01-diagnose', name: 'Diagnose', noun: 'finding' },
  { file: '02-prescribe', name: 'Prescribe', noun: 'remedy' },
  { file: '03-treat', name: 'Treat', noun: 'change' },
  { file: '04-monitor', name: 'Monitor', noun: 'signal' },
  { file: '05-release', name: 'Release', noun: 'rollout' },
  { file: '06-follow-up', name: 'Follow-up', noun: 'lesson' },
];

export const AREAS = [
  'payments',
  'onboarding',
  'billing',
  'search',
  'checkout',
  'ledger',
  'identity',
  'reporting',
  'notifications',
  'catalog',
  'scheduling',
  'inventory',
  'messaging',
  'analytics',
  'exports',
  'permissions',
  'pricing',
  'shipping',
  'support-desk',
  'audit-trail',
];

export const ARTIFACTS = [
  'symptom-log',
  'problem-statement',
  'baseline-metrics',
  'impact-map',
  'remedy-options',
  'decision-record',
  'acceptance-thresholds',
  'change-outline',
  'test-matrix',
  'review-notes',
  'signal-dashboard',
  'alert-rules',
  'release-plan',
  'rollout-steps',
  'rollback-plan',
  'release-notes',
  'outcome-review',
  'lessons-learned',
  'follow-up-backlog',
  'risk-register',
];

export const ARTIFACT_HEADINGS = [
  'Scope',
  'Owners',
  'Assumptions',
  'Measurements',
  'Open Questions',
  'Rollback Steps',
  'Acceptance Thresholds',
  'Timeline',
  'Dependencies',
  'Sign-off',
];

export const GATES = [
  'Evidence Quality Gate',
  'Scope Agreement Gate',
  'Safety Review Gate',
  'Readiness Gate',
  'Stakeholder Sign-off Gate',
  'Signal Integrity Gate',
  'Rollback Drill Gate',
];

export const WORDS = (
  'baseline cohort signal threshold owner review rollout remedy finding measure impact ' +
  'workload latency backlog sample dashboard incident budget estimate constraint outcome ' +
  'variance drift deadline handoff runbook checkpoint escalation tolerance dependency ' +
  'pipeline release schedule capacity ticket trace evidence exposure window metric panel ' +
  'agreement scope stage cadence retro batch queue digest ledger archive audit quorum'
).split(' ');
export const VERBS = (
  'record confirm compare agree publish measure verify document schedule rehearse retire ' +
  'review capture estimate isolate tighten reconcile announce approve track stage'
).split(' ');
export const ADJ = (
  'measurable agreed visible stable narrow early shared written repeatable quiet reversible ' +
  'critical minor noisy slow partial steady explicit'
).split(' ');
export const TAGS = ['cdp', 'workflow', 'phase', 'cycle', 'quality', 'evidence', 'rollout', 'review'];
export const LANGS = ['bash', 'yaml', 'json', 'text'];

export function sentence(r, extra = []) {
  const n = r.int(8, 18);
  const words = [];
  for (let i = 0; i < n; i++) {
    const k = r.next();
    words.push(k < 0.2 ? r.pick(VERBS) : k < 0.35 ? r.pick(ADJ) : r.pick(WORDS));
  }
  for (const e of extra) words.splice(r.int(1, words.length - 1), 0, e);
  const s = words.join(' ');
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}

export function paragraph(r, extra = []) {
  const n = r.int(2, 5);
  const out = [];
  for (let i = 0; i < n; i++) out.push(sentence(r, i === 0 ? extra : []));
  return out.join(' ');
}

export function title(s) {
  return s
    .split('-')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

export function slug(heading) {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

export function checklist(r, n, pChecked) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const box = r.chance(pChecked) ? 'x' : ' ';
    out.push(`- [${box}] ${sentence(r).slice(0, -1)}`);
  }
  return out.join('\n');
}
