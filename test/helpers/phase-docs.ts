// A two-phase workflow whose checklists a test ticks: `01-define` (Exit Criteria) → `02-build` (Build Gate).
import { phaseDoc } from './memory-workspace';

const items = (ticks: boolean[], word: string) =>
  ticks.map((t, i) => `- [${t ? 'x' : ' '}] ${word} ${i}\n`).join('');

/** `01-define`, one Exit Criteria item per entry of `ticks` (true = ticked). */
export const defineDoc = (ticks: boolean[]): string =>
  phaseDoc({
    title: 'Define',
    phase: '01',
    name: 'Define',
    next: '02-build',
    body: `## Exit Criteria\n\n${items(ticks, 'item')}`,
  });

/** `02-build`, one Build Gate item per entry of `ticks` (true = ticked). */
export const buildDoc = (ticks: boolean[]): string =>
  phaseDoc({
    title: 'Build',
    phase: '02',
    name: 'Build',
    previous: '01-define',
    body: `## Build Gate\n\n${items(ticks, 'step')}`,
  });
