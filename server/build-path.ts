import path from "node:path";

/** Where `npm run build` writes (REMIX_BUILD_DIR, default build/ also when it is set but empty, as in remix.config.js). */
const buildDirectory = path.resolve(process.env.REMIX_BUILD_DIR || "build");

/** The Remix server bundle (`remix build`). */
export const serverBuildPath = path.join(buildDirectory, "index.js");

/** The HTTP server around it (server/index.ts bundled by scripts/build.ts), run on plain Node. */
export const serverEntryPath = path.join(buildDirectory, "server.mjs");
