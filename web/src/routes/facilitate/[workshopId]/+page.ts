import type { PageLoad } from './$types';

// The facilitator key comes from the address fragment or this browser's storage: both client-only.
export const ssr = false;

export const load = (({ params }) => ({ workshopId: params.workshopId })) satisfies PageLoad;
