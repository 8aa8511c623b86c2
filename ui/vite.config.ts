/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The UI is loaded by Tauri from ui/dist, so every URL in the build is relative.
// Nothing is fetched from outside the app: no CDN, no remote fonts.
export default defineConfig(({ mode }) => ({
  base: './',
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    // The complaint model's tests read examples/*.toml, the files the Rust side parses.
    fs: { allow: ['.', '../examples'] },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // pdf.js is the one large dependency; it is split out and loaded only on Export.
    chunkSizeWarningLimit: 1600,
  },
  // Component tests mount Svelte components in jsdom, so use the browser build of Svelte.
  resolve: mode === 'test' ? { conditions: ['browser'] } : undefined,
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
  },
}));
