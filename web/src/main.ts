import { App } from './app.js';

/** Mend's page: plain TypeScript DOM code, no framework, no inline script or style. */
const app = new App();
app.start().catch((error: unknown) => {
  // The page still works without /api/health; this only catches a programming mistake.
  console.error('Mend could not start', error);
});
