import { describeTwoInstances } from "@/test/realtime-instances-suite";
import { withoutServerPostgres } from "@/test/requirements";

describeTwoInstances({
  name: "two instances on one Postgres",
  missing: withoutServerPostgres(),
  pooled: false,
});
