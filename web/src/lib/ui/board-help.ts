import type { BoardControl, VotingRules } from '@goldthread/shared';

/**
 * One line of plain help under a board's prompt: what to do in this phase. Reasons a board
 * cannot be changed (locked, voting, closed) are said elsewhere, next to the card box.
 */
export function boardHelp(control: BoardControl | undefined, voting: VotingRules | undefined): string {
  const phase = control?.phase ?? 'setup';
  switch (phase) {
    case 'setup':
      return 'You can start writing now: one idea on each card.';
    case 'brainstorm':
      return control?.private && !control.revealed
        ? 'Write one idea on each card. Add as many as you like.'
        : 'Write one idea on each card. Add as many as you like. Everyone in your room sees them.';
    case 'group':
      return 'Put cards that belong together into a theme: make a theme, then choose it under each card.';
    case 'vote': {
      const budget = voting?.budget ?? 3;
      const cap = voting?.perCardCap;
      const most = cap ? ` Up to ${cap} on one card.` : ' You can give one card more than one.';
      return `You have ${budget} ${budget === 1 ? 'vote' : 'votes'}. Press “Vote” under the cards that matter most to you.${most}`;
    }
    case 'discuss':
      return 'Talk through the cards and results together.';
    case 'closed':
      return 'This board is finished. You can still read every card.';
  }
}
