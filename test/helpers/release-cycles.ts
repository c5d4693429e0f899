/**
 * Two release cycles kept alike (`releases/release-2026.1`, `releases/release-2026.2`):
 * each release phase lists the artifact `[[rollback-plan]]`, which only the earlier cycle
 * has. The later cycle's entry names its own rollback plan, not written yet
 * (missing-artifact); the link in its text reaches the earlier cycle's (cross-instance-link).
 */

/** A cycle's release phase: its artifact in metadata, and `body`. */
export const cycleRelease = (body = '') =>
  `---\nphase: 05\nname: Release\nartifacts:\n  - "[[rollback-plan]]"\n---\n\n# Release\n\n## Exit Criteria\n\n* [x] Tagged\n${body}`;

/** The earlier cycle's release phase, linking its rollback plan in its text too. */
export const OLDER_RELEASE = cycleRelease('\nSee [[rollback-plan|Rollback]].\n');

/** The later cycle's release phase, whose text links the earlier cycle's plan. */
export const NEWER_RELEASE = cycleRelease('\nUntil then, [[rollback-plan]].\n');

/** The two cycles' files. */
export const RELEASE_CYCLES: Readonly<Record<string, string>> = {
  'releases/release-2026.1/05-release.md': OLDER_RELEASE,
  'releases/release-2026.1/artifacts/rollback-plan.md': '# Rollback plan\n',
  'releases/release-2026.2/05-release.md': NEWER_RELEASE,
};
