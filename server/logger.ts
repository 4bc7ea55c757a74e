import pino from "pino";
import { env } from "./env";

/** Structured logs. Secrets and session material are redacted wherever they appear. */
export const logger = pino({
  level: env.LOG_LEVEL ?? (env.isTest ? "silent" : "info"),
  redact: {
    paths: [
      "password",
      "*.password",
      "token",
      "*.token",
      "secret",
      "*.secret",
      "headers.authorization",
      "headers.cookie",
      "*.headers.authorization",
      "*.headers.cookie",
    ],
    censor: "[redacted]",
  },
});
