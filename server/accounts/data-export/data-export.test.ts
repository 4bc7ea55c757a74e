import { dataExportSuite } from "@/test/data-export-suite";

dataExportSuite("pglite");
