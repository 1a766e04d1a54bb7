package io.cairn.bench;

import java.util.ArrayList;
import java.util.List;

/** The side-by-side table: one row per path, then the per-hop breakdowns and notes under it. */
final class ResultTable {
    /** One path: Cairn's figure, QEMU alone's, their ratio, the target and whether this run met it. */
    record Row(String path, String cairn, String qemu, String ratio, String target, String met) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> details = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    void detail(String title, List<String> lines) {
        details.add("");
        details.add(title);
        details.addAll(lines);
    }

    static String ratio(double cairn, double qemu) {
        return qemu <= 0 ? "-" : "%.1f×".formatted(cairn / qemu);
    }

    static String met(boolean met) {
        return met ? "yes" : "NO";
    }

    String render(String header) {
        String[] titles = {"path", "Cairn median / p99", "QEMU alone median / p99", "ratio", "target", "met"};
        int[] widths = new int[titles.length];
        for (int i = 0; i < titles.length; i++) {
            widths[i] = titles[i].length();
        }
        for (Row row : rows) {
            String[] cells = cells(row);
            for (int i = 0; i < cells.length; i++) {
                widths[i] = Math.max(widths[i], cells[i].length());
            }
        }
        StringBuilder out = new StringBuilder(header).append('\n').append('\n');
        line(out, titles, widths);
        StringBuilder rule = new StringBuilder();
        for (int width : widths) {
            rule.append("-".repeat(width)).append("-+-");
        }
        out.append(rule, 0, rule.length() - 3).append('\n');
        for (Row row : rows) {
            line(out, cells(row), widths);
        }
        details.forEach(line -> out.append(line).append('\n'));
        return out.toString();
    }

    private static String[] cells(Row row) {
        return new String[] {row.path(), row.cairn(), row.qemu(), row.ratio(), row.target(), row.met()};
    }

    private static void line(StringBuilder out, String[] cells, int[] widths) {
        for (int i = 0; i < cells.length; i++) {
            out.append(String.format("%-" + widths[i] + "s", cells[i]));
            out.append(i + 1 < cells.length ? " | " : "\n");
        }
    }
}
