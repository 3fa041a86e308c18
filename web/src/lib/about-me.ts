import { SECTORS, type Sector } from '@goldthread/shared';

/**
 * The optional details a person gave when joining (organisation, sector), remembered in this
 * browser so the next workshop's form is filled in. Never shown on cards.
 */
export interface AboutMe {
  organisation: string;
  /** '' when the person chose not to say. */
  sector: Sector | '';
}

const KEY = 'goldthread:about-me';

export function isSector(value: string): value is Sector {
  return (SECTORS as readonly string[]).includes(value);
}

export function recallAboutMe(): AboutMe {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (!parsed || typeof parsed !== 'object') return { organisation: '', sector: '' };
    const { organisation, sector } = parsed as Record<string, unknown>;
    return {
      organisation: typeof organisation === 'string' ? organisation : '',
      sector: typeof sector === 'string' && isSector(sector) ? sector : ''
    };
  } catch {
    return { organisation: '', sector: '' };
  }
}

export function rememberAboutMe(about: AboutMe): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(about));
  } catch {
    // Storage blocked: the form simply starts empty next time.
  }
}

/** Forgets the remembered organisation and sector (leaving a workshop on a shared laptop). */
export function forgetAboutMe(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Storage blocked: nothing was remembered.
  }
}
