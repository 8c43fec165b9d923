// A build step of @starling/platform (its `build` script): makes the PGlite template of
// pglite-template.ts for the installed PGlite, unless it is there already.
import { openDatabase } from './database';
import { buildPgliteTemplate, pgliteTemplateDir } from './pglite-template';

buildPgliteTemplate(async (dataDir) => (await openDatabase({ dataDir })).close()).then(
  (made) => console.log(`PGlite template ${made ? 'made' : 'up to date'}: ${pgliteTemplateDir()}`),
  (err: unknown) => {
    console.error('making the PGlite template failed:', err);
    process.exit(1);
  },
);
