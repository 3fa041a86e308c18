import type { PageLoad } from './$types';

// The projector token comes from the address fragment or this browser's storage: client-only.
export const ssr = false;

export const load = (({ params }) => ({ workshopId: params.workshopId })) satisfies PageLoad;
