import { describe, expect, it } from "vitest";
import { categoryOf, summarise } from "./bench-profile";

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe("the CPU profile summary of npm run bench:profile", () => {
  it("sorts frames by where their code lives", () => {
    expect(categoryOf(frame("renderElement", "file:///p/node_modules/react-dom/cjs/react-dom-server.node.production.min.js"))).toBe("React rendering");
    expect(categoryOf(frame("handleDocumentRequest", "file:///p/node_modules/@remix-run/server-runtime/dist/server.js"))).toBe("Remix and router");
    expect(categoryOf(frame("all", ""))).toBe("SQL (Kysely, the driver, SQLite itself)");
    expect(categoryOf(frame("query", "file:///p/node_modules/pg/lib/client.js"))).toBe("SQL (Kysely, the driver, SQLite itself)");
    expect(categoryOf(frame("compile", "file:///p/node_modules/kysely/dist/esm/query-compiler.js"))).toBe("SQL (Kysely, the driver, SQLite itself)");
    expect(categoryOf(frame("writeHead", "node:_http_server"))).toBe("Node (HTTP, streams, zlib, crypto)");
    expect(categoryOf(frame("loader", "file:///p/build/index.js"))).toBe("our code (the app bundle)");
    expect(categoryOf(frame("(garbage collector)", ""))).toBe("garbage collection");
  });

  it("adds each sample's time to the frame on top of the stack, leaves idle time out, and names our costliest functions", () => {
    const summary = summarise({
      nodes: [
        { id: 1, callFrame: frame("(root)", "") },
        { id: 2, callFrame: frame("renderElement", "file:///p/node_modules/react-dom/server.js") },
        { id: 3, callFrame: frame("scheduleRows", "file:///p/build/index.js") },
        { id: 4, callFrame: frame("(idle)", "") },
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [2, 3, 3, 4, 2, 3],
      timeDeltas: [1000, 2000, 1000, 5000, 500, 500],
    });
    expect(summary.totalMs).toBe(5);
    expect(summary.byCategory).toEqual({ "React rendering": 1.5, "our code (the app bundle)": 3.5 });
    expect(summary.ownFunctions).toEqual([{ name: "scheduleRows (index.js:1)", ms: 3.5 }]);
  });
});
