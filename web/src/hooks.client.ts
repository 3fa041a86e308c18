import { config } from 'zod';

// zod probes for `new Function` to compile fast validators; the page's Content-Security-Policy
// forbids eval, so the probe would be reported as a violation. Validation in the browser is light.
config({ jitless: true });
