import { mount } from 'svelte';
import '../../ui/app.css';
import Dashboard from './Dashboard.svelte';

mount(Dashboard, { target: document.getElementById('dashboard')! });
