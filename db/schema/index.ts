export * from "./auth";
export * from "./metas";
export * from "./api-keys";
export * from "./audit";
export * from "./chat";
export * from "./mail";
export * from "./jobs";
export * from "./pins";
