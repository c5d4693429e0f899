import { ambiguousLink } from './ambiguous-link';
import { brokenHeading } from './broken-heading';
import { brokenLink } from './broken-link';
import { crossInstanceLink } from './cross-instance-link';
import { dependencyCycle } from './dependency-cycle';
import { duplicateId } from './duplicate-id';
import { duplicatePhase } from './duplicate-phase';
import { emptyGate } from './empty-gate';
import { invalidFrontmatter } from './invalid-frontmatter';
import { malformedCheckbox } from './malformed-checkbox';
import { misnamedGateFile } from './misnamed-gate-file';
import { missingArtifact } from './missing-artifact';
import { missingDependency } from './missing-dependency';
import { outOfOrder } from './out-of-order';
import { phaseChain } from './phase-chain';
import type { Rule } from './rule';
import { supersededLink } from './superseded-link';
import { unmetCriterion } from './unmet-criterion';

export const RULES: readonly Rule[] = [
  brokenLink,
  brokenHeading,
  ambiguousLink,
  crossInstanceLink,
  missingArtifact,
  phaseChain,
  duplicatePhase,
  invalidFrontmatter,
  malformedCheckbox,
  outOfOrder,
  emptyGate,
  unmetCriterion,
  duplicateId,
  missingDependency,
  dependencyCycle,
  supersededLink,
  misnamedGateFile,
];
