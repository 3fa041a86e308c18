import { describe, expect, it } from 'vitest';
import { attributedPerson, attributionAt, attributionLabel } from '@goldthread/shared';

const halima = { name: 'Halima Begum', organisation: 'Riverside Youth Trust', sector: 'Voluntary & community' };

describe('attributionLabel', () => {
  it('shows the name under "named", organisation and sector under "organisation", and nothing under "anonymous"', () => {
    expect(attributionLabel(halima, 'named')).toBe('Halima Begum');
    expect(attributionLabel(halima, 'organisation')).toBe('Riverside Youth Trust (Voluntary & community)');
    expect(attributionLabel(halima, 'anonymous')).toBe('');
  });

  it('under "organisation" shows what was given, and nothing for someone who gave neither', () => {
    expect(attributionLabel({ name: 'Ann', sector: 'Council' }, 'organisation')).toBe('Council');
    expect(attributionLabel({ name: 'Ann', organisation: 'Riverside Council' }, 'organisation')).toBe('Riverside Council');
    expect(attributionLabel({ name: 'Ann' }, 'organisation')).toBe('');
  });

  it('never lets a name through below "named"', () => {
    expect(attributedPerson(halima, 'organisation').name).toBe('');
    expect(attributedPerson(halima, 'anonymous')).toEqual({ name: '' });
  });
});

describe('attributionAt', () => {
  const history = [
    { level: 'organisation' as const, since: 1000 },
    { level: 'named' as const, since: 2000 },
    { level: 'anonymous' as const, since: 3000 }
  ];

  it('uses the level in force at the moment, or the current one when that is stricter', () => {
    expect(attributionAt(history.slice(0, 2), 'named', 1500)).toBe('organisation');
    expect(attributionAt(history.slice(0, 2), 'named', 2500)).toBe('named');
    expect(attributionAt(history, 'anonymous', 2500)).toBe('anonymous');
  });
});
