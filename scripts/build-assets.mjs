// `npm run build`: makes build/static (served by Django through STATICFILES_DIRS) from static/
// (the project's own sources) and the npm packages. Nothing third-party is committed.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const modules = join(root, "node_modules");
const govuk = join(modules, "govuk-frontend", "dist", "govuk");
const moj = join(modules, "@ministryofjustice", "frontend", "moj");
const fontsource = join(modules, "@fontsource", "atkinson-hyperlegible", "files");

function write(target, text) {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

// ManifestStaticFilesStorage follows sourceMappingURL comments and fails on the .map files we do
// not ship.
function copyWithoutSourceMap(source, target) {
  const text = readFileSync(source, "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
  write(target, text);
}

function copyDir(source, target, filter = () => true) {
  cpSync(source, target, { recursive: true, filter: (path) => filter(path) });
}

// MOJ Frontend calls GOV.UK Frontend mixins that GOV.UK has deprecated and hard-codes the list of
// silenced warnings: show only the warnings our own partials cause.
function warnAboutOurOwnSass(message, { span, stack }) {
  const frames = [span?.url?.pathname ?? "", ...(stack ?? "").split("\n")];
  if (frames.some((frame) => frame.includes("static/scss/_"))) {
    console.warn(`Sass warning: ${message}\n${stack ?? ""}`);
  }
}

rmSync(out, { recursive: true, force: true });

// Our own sources, except the Sass, which is compiled below.
copyDir(join(root, "static"), out, (path) => !relative(join(root, "static"), path).startsWith("scss"));

const css = sass.compile(join(root, "static", "scss", "app.scss"), {
  loadPaths: [root, join(root, "static", "scss")],
  style: "compressed",
  quietDeps: true,
  sourceMap: false,
  logger: { warn: warnAboutOurOwnSass },
});
write(join(out, "css", "app.css"), css.css + "\n");

copyWithoutSourceMap(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
copyWithoutSourceMap(join(moj, "moj-frontend.min.js"), join(out, "moj", "moj-frontend.min.js"));

// One images folder for both: MOJ Frontend points GOV.UK Frontend's image path at its own.
// The GDS Transport fonts stay behind: they are for GOV.UK services only.
copyDir(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"));
copyDir(join(moj, "assets", "images"), join(out, "govuk", "assets", "images"));

// Atkinson Hyperlegible for the PDF statements.
copyDir(fontsource, join(out, "fonts"), (path) => path === fontsource || path.endsWith(".woff2"));

console.log(`Built ${relative(root, out)}`);
