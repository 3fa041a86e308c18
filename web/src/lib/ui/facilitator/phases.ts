import { PHASES, PHASE_LABELS, type Phase } from '@goldthread/shared';

const FORWARD: Record<Phase, string> = {
  setup: 'Back to getting ready',
  brainstorm: 'Start brainstorm',
  group: 'Start grouping',
  vote: 'Start voting',
  discuss: 'Discuss',
  closed: 'Close board'
};

/** The name of the button that moves a board from `current` to `target`: "Start voting", "Back to Brainstorm". */
export function phaseButtonLabel(target: Phase, current: Phase): string {
  return PHASES.indexOf(target) > PHASES.indexOf(current) ? FORWARD[target] : `Back to ${PHASE_LABELS[target]}`;
}
