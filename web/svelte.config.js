import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    // The server mounts build/handler.js inside Express, on the same port as the API.
    adapter: adapter({ out: 'build', precompress: true })
  }
};

export default config;
