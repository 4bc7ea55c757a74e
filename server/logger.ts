import "server-only";

import pino from "pino";
import pretty from "pino-pretty";
import { env } from "./env";

/**
 * Structured logs: JSON lines in production, readable ones in development (`LOG_FORMAT`),
 * written in process either way. Secrets and session material are redacted wherever they
 * appear.
 */
export const logger = pino(
  {
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
  },
  env.logFormat === "pretty"
    ? pretty({
        colorize: process.stdout.isTTY,
        ignore: "pid,hostname",
        translateTime: "SYS:HH:MM:ss.l",
      })
    : undefined,
);
