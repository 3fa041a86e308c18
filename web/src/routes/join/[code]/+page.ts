import { normaliseJoinCode } from '@goldthread/shared';
import type { PageLoad } from './$types';

export const load = (({ params }) => ({ code: normaliseJoinCode(params.code) })) satisfies PageLoad;
