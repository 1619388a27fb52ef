// tsc does not keep the executable bit; npx and package bins need it.
const fs = require('node:fs');
const bin = require('node:path').join(__dirname, '..', 'dist', 'cli', 'main.js');
if (fs.existsSync(bin)) fs.chmodSync(bin, 0o755);
