import { getAuth } from "@/server/auth";

// Resolved per request so nothing touches the database or the secret at build time.
const handle = (request: Request) => getAuth().handler(request);

export { handle as GET, handle as POST };
