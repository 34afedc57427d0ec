import path from "node:path";

/** Where `remix build` wrote the server bundle (see REMIX_BUILD_DIR in remix.config.js). */
export const serverBuildPath = path.resolve(process.env.REMIX_BUILD_DIR ?? "build", "index.js");
