import { LIMITS, isIsoDate, type WorkshopDetails } from '@goldthread/shared';
import { detailsText, linesOf, parseLinks, todayIso } from '$lib/workshop-details';

export interface DetailsFieldErrors {
  date?: string;
  startTime?: string;
  endTime?: string;
  venue?: string;
  facilitators?: string;
  purpose?: string;
  partners?: string;
  links?: string;
}

/** The request fields for the details, as `POST /api/workshops` and `PATCH /api/workshops/:id` take them. */
export interface DetailsRequest {
  date: string;
  startTime: string | null;
  endTime: string | null;
  venue: string | null;
  facilitators: string[];
  purpose: string | null;
  partners: string[];
  links: { title: string; url: string }[];
}

/** What is typed into the workshop-details fields (create form and console alike), checked before sending. */
export class WorkshopDetailsDraft {
  date = $state(todayIso());
  startTime = $state('');
  endTime = $state('');
  venue = $state('');
  facilitators = $state('');
  purpose = $state('');
  partners = $state('');
  links = $state('');
  errors = $state<DetailsFieldErrors>({});

  constructor(details?: WorkshopDetails) {
    if (details) this.reset(details);
  }

  /** Fills the fields from saved details. */
  reset(details: WorkshopDetails): void {
    Object.assign(this, detailsText(details));
    this.errors = {};
  }

  /** The request fields, or null (with `errors` set) when something needs fixing. */
  toRequest(): DetailsRequest | null {
    const errors: DetailsFieldErrors = {};
    if (!isIsoDate(this.date)) errors.date = 'Enter the date of the workshop.';
    if (this.startTime && this.endTime && this.endTime < this.startTime) errors.endTime = 'The end time must be after the start time.';
    if (this.venue.trim().length > LIMITS.venue) errors.venue = `Keep the venue to ${LIMITS.venue} characters or fewer.`;
    if (this.purpose.trim().length > LIMITS.purpose) errors.purpose = `Keep the purpose to ${LIMITS.purpose} characters or fewer.`;
    const facilitators = linesOf(this.facilitators);
    const partners = linesOf(this.partners);
    if (facilitators.length > LIMITS.facilitatorsPerWorkshop) errors.facilitators = `Name up to ${LIMITS.facilitatorsPerWorkshop} facilitators.`;
    else if (facilitators.some((name) => name.length > LIMITS.personName)) errors.facilitators = `Each name can be up to ${LIMITS.personName} characters.`;
    if (partners.length > LIMITS.partnersPerWorkshop) errors.partners = `Name up to ${LIMITS.partnersPerWorkshop} organisations.`;
    else if (partners.some((name) => name.length > LIMITS.personName)) errors.partners = `Each name can be up to ${LIMITS.personName} characters.`;
    const links = parseLinks(this.links);
    if (!links.ok) errors.links = links.message;
    else if (links.links.length > LIMITS.linksPerWorkshop) errors.links = `Add up to ${LIMITS.linksPerWorkshop} links.`;
    this.errors = errors;
    if (Object.keys(errors).length > 0 || !links.ok) return null;
    return {
      date: this.date,
      startTime: this.startTime || null,
      endTime: this.endTime || null,
      venue: this.venue.trim() || null,
      facilitators,
      purpose: this.purpose.trim() || null,
      partners,
      links: links.links
    };
  }

  /** The first field with a problem, for focus. */
  get firstError(): keyof DetailsFieldErrors | null {
    const order: (keyof DetailsFieldErrors)[] = ['date', 'startTime', 'endTime', 'venue', 'facilitators', 'purpose', 'partners', 'links'];
    return order.find((field) => this.errors[field]) ?? null;
  }
}
