package dev.zonedev.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * A plain-text table as the command prints it: the first column left-aligned, the others
 * right-aligned two spaces apart, each as wide as its widest cell, and a rule of dashes under the
 * first row. Stateless.
 */
final class TextTable {
    private TextTable() {}

    /** Prints {@code rows} (the first one the heading; every row as long as the first). */
    static void print(PrintWriter out, List<String[]> rows) {
        int cols = rows.getFirst().length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                String cell = rows.get(i)[c];
                sb.append(
                        c == 0
                                ? String.format("%-" + width[c] + "s", cell)
                                : String.format("  %" + width[c] + "s", cell));
            }
            out.println(sb.toString().stripTrailing());
            if (i == 0) {
                out.println("-".repeat(sb.length()));
            }
        }
    }
}
