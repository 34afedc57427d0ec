import { defineConfig, globalIgnores } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const MULTIPART_PARSERS = {
  name: "@remix-run/node",
  importNames: ["unstable_parseMultipartFormData", "unstable_createMemoryUploadHandler", "unstable_createFileUploadHandler"],
  message: "Read an upload with readUpload (app/utils/form-data.server.ts).",
};

// On PostgreSQL a caller's ctx.db is scoped to their municipalities (ADR 028); the unscoped handle behind it is for
// the few reads that cross on purpose, each named and commented in the domain.
const SYSTEM_HANDLE = {
  group: ["~/db/connection.server", "**/db/connection.server"],
  importNames: ["systemHandleOf"],
  message: "Reads that cross municipalities go through systemDb in app/domain/internal/system-handle.server.ts, with a comment saying why.",
};

export default defineConfig(
  globalIgnores([
    "build/**",
    "public/build/**",
    "node_modules/**",
    ".cache/**",
    "test-results/**",
    "playwright-report/**",
    "db/data/**",
  ]),
  // Not the type-checked variant: tsc already type-checks, and this keeps eslint fast.
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Routes and the code they render reach the database only through the domain's public
    // functions, which check the caller's grant (app/domain/surface.test.ts checks the rest).
    files: ["app/routes/**", "app/components/**", "app/ui/**", "app/schemas/**", "app/utils/**"],
    ignores: ["app/routes/healthz.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["~/domain/internal/*", "**/domain/internal/*"], message: "Helpers in app/domain/internal check no grant: call a public domain function." },
            { group: ["~/db/*", "**/db/*"], allowTypeImports: true, message: "Only types from app/db here: queries belong in the domain." },
          ],
          paths: [{ name: "kysely", allowTypeImports: true, message: "Queries belong in the domain." }],
        },
      ],
    },
  },
  {
    // The domain returns numbers, keys and enums; what people read (labels, formats, files) is made
    // from them in app/ui or the route, so an API or another page can reuse the domain as it is.
    // Tests may present what they check, as the page does.
    files: ["app/domain/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["~/ui/*", "**/ui/*"], message: "The domain returns data: labels and formats belong in app/ui, which presents what the domain returns." },
            { group: ["~/components/*", "**/components/*"], message: "The domain returns data: components render what a route hands them." },
          ],
        },
      ],
    },
  },
  {
    // React components, and hooks written in plain .ts files under app/.
    files: ["**/*.tsx", "app/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Every posted body goes through app/utils/form-data.server.ts, which parses it under limits on its shape.
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ignores: ["app/utils/form-data.server.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name=/^(formData|text|json|arrayBuffer|blob)$/][callee.object.name=/^(request|req)$/]",
          message: "Read a posted form with readFormData or readUpload (app/utils/form-data.server.ts): they refuse oversized or oddly shaped bodies before parsing.",
        },
        {
          selector: "CallExpression[callee.property.name=/^(formData|text|json|arrayBuffer|blob)$/][callee.object.callee.property.name='clone']",
          message: "Read a posted form with readFormData or readUpload (app/utils/form-data.server.ts): they refuse oversized or oddly shaped bodies before parsing.",
        },
      ],
      "no-restricted-imports": ["error", { paths: [MULTIPART_PARSERS], patterns: [SYSTEM_HANDLE] }],
    },
  },
  {
    // The one module through which the reads that cross municipalities on purpose reach the system handle.
    files: ["app/domain/internal/system-handle.server.ts"],
    rules: { "no-restricted-imports": ["error", { paths: [MULTIPART_PARSERS] }] },
  },
);
