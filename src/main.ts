import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import App from './ui/App.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('StimBench: #app element missing from index.html');
// The service worker (offline start, update offer) is registered here, outside the components, so tests
// that mount App run without one.
export default mount(App, { target, props: { registerServiceWorker: registerSW } });
