import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In `pnpm dev` the API, Socket.IO and Yjs endpoints run in the server on GOLDTHREAD_DEV_API (default :3000).
const api = process.env.GOLDTHREAD_DEV_API ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/api': api,
      '/yjs': { target: api, ws: true },
      '/socket.io': { target: api, ws: true }
    }
  }
});
