// Builds the dashboard into dist/: one minified script, the stylesheet and the page. The
// C++ build embeds dist/ into the `dyad` binary (src/server/embed_assets.cmake), so the
// server needs no npm at run time; rebuild with `npm ci && npm run build` (or `make web`)
// after changing src/ and commit dist/.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync, statSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
mkdirSync("dist");
await build({
  entryPoints: ["src/main.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outfile: "dist/app.js",
  legalComments: "eof",
  loader: { ".json": "json" },
  logLevel: "warning",
});
await build({
  entryPoints: ["src/style.css"],
  bundle: true,
  minify: true,
  outfile: "dist/style.css",
  logLevel: "warning",
});
copyFileSync("src/index.html", "dist/index.html");
copyFileSync("src/favicon.svg", "dist/favicon.svg");
let total = 0;
for (const f of ["index.html", "app.js", "style.css", "favicon.svg"]) total += statSync(`dist/${f}`).size;
if (total > 1024 * 1024) throw new Error(`dist/ is ${total} bytes: keep it under 1 MB`);
console.log(`web/dist: ${total} bytes`);
