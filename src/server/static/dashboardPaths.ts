/** Where the dashboard's sources are and where its build goes (the project root's dist-dashboard/). */
import { fileURLToPath } from 'node:url';

export const DASHBOARD_ROOT = fileURLToPath(new URL('../dashboard', import.meta.url));
export const DASHBOARD_OUT_DIR = fileURLToPath(new URL('../../../dist-dashboard', import.meta.url));
