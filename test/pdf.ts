/**
 * Small, valid PDF documents for tests: one line of text per page in a standard font, with a
 * cross-reference table whose offsets are counted, so that strict readers accept them.
 */
export function pdfWithPages(
  lines: readonly string[],
  options: { width?: number; height?: number } = {},
): Buffer {
  const width = options.width ?? 595;
  const height = options.height ?? 842;
  const objects: string[] = [];
  // Object 1 is the catalogue, so the object at index i is number i + 2.
  const add = (body: string) => objects.push(body) + 1;
  const font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const pagesId = objects.length + 2 + lines.length * 2;
  const pageIds = lines.map((line) => {
    const escaped = line.replace(/[\\()]/g, (c) => `\\${c}`);
    const stream = `BT /F1 24 Tf 72 ${height - 120} Td (${escaped}) Tj ET`;
    const content = add(
      `<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`,
    );
    return add(
      `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`,
    );
  });
  const pages = add(
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(" ")}] /Count ${lines.length} >>`,
  );
  if (pages !== pagesId) throw new Error("page tree numbered wrongly");
  const all = [`<< /Type /Catalog /Pages ${pages} 0 R >>`, ...objects];

  let out = "%PDF-1.4\n";
  const offsets = all.map((body, index) => {
    const offset = Buffer.byteLength(out, "latin1");
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${all.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${all.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
