import { writeFileSync } from 'node:fs';
import { colorIcon, outlineIcon } from './icons.js';

// Regenerates manifest/teams/color.png and outline.png (committed): `npx tsx manifest/teams/generate-icons.ts`.

writeFileSync(new URL('./color.png', import.meta.url), colorIcon());
writeFileSync(new URL('./outline.png', import.meta.url), outlineIcon());
process.stdout.write('wrote manifest/teams/color.png (192×192) and outline.png (32×32)\n');
