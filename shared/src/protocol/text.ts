import { z } from 'zod';

/**
 * What people type is stored NFC-normalised and refused when it carries characters that
 * corrupt files or make text read differently from what it is: NUL and other control
 * characters, lone surrogates (half an emoji, not valid Unicode), and the bidirectional
 * embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069), which can make
 * "Facilitator" display as something else. Marks such as U+200F stay allowed.
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/u;
/**
 * Card text and prompts keep line breaks, tabs and what pasting brings (Word's vertical tab for a
 * soft line break, a form feed); only NUL is refused among the control characters.
 */
const NUL = /\u0000/u;
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a text may hold several lines (card text, prompts) or only one (titles, names). */
export type TextKind = 'single-line' | 'multi-line';

/**
 * Why a text is refused, as a sentence ending "…", or null when it is acceptable. The one rule
 * for every path text comes in by (HTTP, Socket.IO, Yjs, import).
 */
export function textProblem(value: string, kind: TextKind = 'single-line'): string | null {
  if (LONE_SURROGATE.test(value)) return 'contains a broken character (a lone surrogate)';
  if (BIDI_CONTROLS.test(value)) return 'contains a text-direction override character (U+202A–U+202E or U+2066–U+2069)';
  if (kind === 'single-line' && CONTROL_CHARACTERS.test(value)) return 'contains a control character or line break';
  if (NUL.test(value)) return 'contains a NUL character';
  return null;
}

/** Normalises text as stored: NFC, so that "é" typed two ways is one name. */
export function normaliseText(value: string): string {
  return value.normalize('NFC');
}

/**
 * A zod schema for text people type: trimmed, NFC-normalised, free of refused characters
 * (see `textProblem`), and at most `max` characters (after normalisation).
 */
export function typedText(label: string, max: number, options: { kind?: TextKind; optional?: boolean } = {}) {
  const kind = options.kind ?? 'single-line';
  const base = z
    .string({ error: `${label} must be text` })
    .trim()
    .normalize('NFC')
    .check((ctx) => {
      const problem = textProblem(ctx.value, kind);
      if (problem) ctx.issues.push({ code: 'custom', message: `${label} ${problem}`, input: ctx.value });
    });
  const required = options.optional ? base : base.min(1, { error: `${label} must not be empty` });
  return required.max(max, { error: `${label} must be at most ${max} characters` });
}

/**
 * The same rule for text that is not typed but carried (an imported notes file): NFC-normalised
 * and free of refused characters, at most `max` characters; untrimmed, and empty allowed.
 */
export function carriedText(max: number, kind: TextKind = 'single-line') {
  return z
    .string()
    .normalize('NFC')
    .check((ctx) => {
      const problem = textProblem(ctx.value, kind);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    })
    .max(max);
}
