import { describeTwoInstances } from "@/test/realtime-instances-suite";
import { withoutPgbouncer } from "@/test/requirements";

describeTwoInstances({
  name: "two instances behind PgBouncer in transaction mode",
  missing: withoutPgbouncer(),
  pooled: true,
});
