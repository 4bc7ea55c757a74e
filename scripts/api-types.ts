import { writeFileSync } from "node:fs";
import { CLIENT_TYPES_FILE, generateClientTypes } from "@/server/http/api-v1/client-types";

writeFileSync(CLIENT_TYPES_FILE, await generateClientTypes());
console.log(`wrote ${CLIENT_TYPES_FILE}`);
