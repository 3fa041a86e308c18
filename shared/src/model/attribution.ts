import { DEFAULT_ATTRIBUTION, type AttributionLevel } from './workshop.js';

/** A person as recorded at joining: the name, and optionally where they work. */
export interface AttributablePerson {
  name: string;
  organisation?: string;
  sector?: string;
}

/** The level a workshop was set to from a moment on (epoch ms), oldest first. */
export interface AttributionChange {
  level: AttributionLevel;
  since: number;
}

const STRICTNESS: Record<AttributionLevel, number> = { named: 0, organisation: 1, anonymous: 2 };

/** The stricter of two levels (the one that shows less). */
export function stricterAttribution(a: AttributionLevel, b: AttributionLevel): AttributionLevel {
  return STRICTNESS[a] >= STRICTNESS[b] ? a : b;
}

/**
 * The level that governs something written at `at`: the level in force then, or the current
 * one when that is stricter. A change of level applies from then on, and never shows more of
 * someone than they were told when they wrote.
 */
export function attributionAt(history: readonly AttributionChange[], current: AttributionLevel, at: number): AttributionLevel {
  let then: AttributionLevel = history[0]?.level ?? current;
  for (const change of history) if (change.since <= at) then = change.level;
  return stricterAttribution(then, current);
}

/** Exactly the parts of a person a level lets a kept output show; the rest are left out. */
export function attributedPerson(person: AttributablePerson, level: AttributionLevel): AttributablePerson {
  const organisation = person.organisation?.trim();
  const sector = person.sector?.trim();
  switch (level) {
    case 'named':
      return { name: person.name, ...(organisation && { organisation }), ...(sector && { sector }) };
    case 'organisation':
      return { name: '', ...(organisation && { organisation }), ...(sector && { sector }) };
    case 'anonymous':
      return { name: '' };
  }
}

/**
 * How a person is credited on a card under a level: "Ana Jones"; "Riverside Trust (Voluntary
 * and community)"; or "" where the level shows nothing (renderers then say "Anonymous").
 */
export function attributionLabel(person: AttributablePerson, level: AttributionLevel = DEFAULT_ATTRIBUTION): string {
  const shown = attributedPerson(person, level);
  if (shown.name.trim()) return shown.name.trim();
  if (shown.organisation && shown.sector) return `${shown.organisation} (${shown.sector})`;
  return shown.organisation ?? shown.sector ?? '';
}
