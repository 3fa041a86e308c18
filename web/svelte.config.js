import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The server mounts build/handler.js inside Express, on the same port as the API.
    adapter: adapter({ out: 'build', precompress: true }),
    // SvelteKit writes the Content-Security-Policy itself, with a nonce for its own start-up script.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte sets inline style attributes (colours, transitions).
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:', 'blob:'],
        'font-src': ['self'],
        // Same-origin websockets (/yjs, /socket.io) are covered by 'self'.
        'connect-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none']
      }
    }
  }
};

export default config;
