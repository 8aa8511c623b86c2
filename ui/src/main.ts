import { mount } from 'svelte';
import App from './App.svelte';
import * as backend from './lib/backend';
import { createApp } from './lib/app.svelte';
import './app.css';

const app = createApp(backend);

mount(App, {
  target: document.getElementById('app')!,
  props: { app },
});
