/**
 * Vitest setup file of the "postgres" project: the databases a test file
 * made are dropped when it ends, so a run never holds more than a few.
 */
import { afterAll } from "vitest";
import { dropTestDatabases } from "../support/db";

afterAll(dropTestDatabases);
