import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root: the nearest folder above this module that holds package.json. Files the code
 * ships beside itself (migrations, schemas, certificates, the back office's build) are found from here, so
 * they resolve alike whether the code runs from `src/` (tsx, the tests) or bundled into `build/`
 * (`npm start`).
 */
export const repoRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('omnihub: no package.json above the code; run it from its checkout');
    dir = up;
  }
  return dir;
})();

/** A path inside the repository, from its root. */
export const inRepo = (...parts: string[]): string => path.join(repoRoot, ...parts);
