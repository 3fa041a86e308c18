import { getWorkshop, openFacilitatorSession } from '$lib/api';
import { storedFacilitatorKeys } from '$lib/console-storage';
import { fetchSeriesNotes, type FileResult, type NotesFileFormat } from '$lib/facilitator-api';

/** A workshop this browser can facilitate, as offered for a series' combined notes. */
export interface SeriesWorkshop {
  id: string;
  title: string;
  createdAt: number;
  /** A facilitator session token for it: what the combined download is authorised with. */
  token: string;
}

/**
 * The workshops a facilitator runs from this browser (their keys are kept under
 * `goldthread:facilitator:<id>`), for downloading one set of notes across a series. Each key
 * is traded for a session token, and the title read with it, only when the list is wanted.
 */
export class NotesSeries {
  workshops = $state.raw<SeriesWorkshop[] | null>(null);
  /** Workshops whose key no longer opens them (deleted, or another server's). */
  unavailable = $state(0);
  loading = $state(false);

  readonly #current: SeriesWorkshop;

  constructor(current: SeriesWorkshop) {
    this.#current = current;
  }

  /** Loads the list once (the console's own workshop first, then the newest). */
  async load(): Promise<void> {
    if (this.workshops || this.loading) return;
    this.loading = true;
    try {
      const others = storedFacilitatorKeys().filter(({ workshopId }) => workshopId !== this.#current.id);
      const found = await Promise.all(others.map(({ workshopId, key }) => describe(workshopId, key)));
      const usable = found.filter((workshop): workshop is SeriesWorkshop => workshop !== null);
      this.unavailable = found.length - usable.length;
      this.workshops = [this.#current, ...usable.sort((a, b) => b.createdAt - a.createdAt)];
    } finally {
      this.loading = false;
    }
  }

  /** Combined notes of the chosen workshops, in the order they are listed. */
  download(ids: string[], format: NotesFileFormat, title: string): Promise<FileResult> {
    const chosen = (this.workshops ?? []).filter((workshop) => ids.includes(workshop.id));
    return fetchSeriesNotes(
      chosen.map((workshop) => workshop.id),
      chosen.map((workshop) => workshop.token),
      format,
      title.trim() || undefined
    );
  }
}

async function describe(workshopId: string, key: string): Promise<SeriesWorkshop | null> {
  const session = await openFacilitatorSession(workshopId, key);
  if (!session.ok) return null;
  const workshop = await getWorkshop(workshopId, session.data.token);
  if (!workshop.ok) return null;
  return { id: workshopId, title: workshop.data.title, createdAt: workshop.data.createdAt, token: session.data.token };
}
